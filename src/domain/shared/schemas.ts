import { z } from 'zod';

/**
 * Any 8-4-4-4-12 hex id: legacy ids are uuids, but not all of them carry RFC version bits.
 * Folded to lowercase: `A31E…` and `a31e…` are one id, and the log only ever holds the latter.
 */
export const IdSchema = z.guid().overwrite((id) => id.toLowerCase());

/** A calendar date without time, `YYYY-MM-DD`, as both V1 and V2 write due dates. */
export const DueDateSchema = z.iso.date();

/** A UTF-16 surrogate without its other half: PostgreSQL stores it as U+FFFD, so it would not round-trip. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text that PostgreSQL `text` and `jsonb` store byte for byte: no NUL (they cannot hold it, and
 * one in an event would stop every projection at it) and no lone surrogate.
 */
export const StorableTextSchema = z
  .string()
  .refine((text) => !text.includes('\u0000'), 'must not contain the NUL character (\\u0000)')
  .refine((text) => !LONE_SURROGATE.test(text), 'must not contain a lone UTF-16 surrogate');

/** Longest names, codes and authors; titles; note texts (characters). */
export const NAME_MAX = 200;
export const TITLE_MAX = 500;
export const NOTE_TEXT_MAX = 10_000;

/** Non-empty after trimming, storable, at most `max` characters. */
export const textSchema = (max: number) => StorableTextSchema.trim().min(1).max(max);

export const NonEmptyTextSchema = textSchema(NAME_MAX);
export const TitleSchema = textSchema(TITLE_MAX);
export const NoteTextSchema = textSchema(NOTE_TEXT_MAX);

export const SortOrderSchema = z.number().int();

/** Who, when and why of an event; extra fields written by the legacy portal are kept. */
export const EventMetadataSchema = z.looseObject({
  occurredAt: z.string(),
  actor: z.string(),
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
});
export type DomainEventMetadata = z.infer<typeof EventMetadataSchema>;

/**
 * Every command carries its business time and author: the domain has no clock, and the handler
 * copies this into the metadata of the events the command produced.
 */
export const CommandMetadataSchema = z.object({
  occurredAt: z.iso.datetime(),
  actor: NonEmptyTextSchema,
  /** The user a delegating key (writer, admin) acts for; the actor stays the key. */
  onBehalfOf: NonEmptyTextSchema.optional(),
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
  /**
   * A keyed command (HTTP Idempotency-Key): its event ids derive from `seed`, so a re-run writes
   * the same events; `resumed` when an earlier run of it may have written them already.
   */
  idempotency: z.object({ seed: z.guid(), resumed: z.boolean() }).optional(),
});
export type CommandMetadata = z.infer<typeof CommandMetadataSchema>;

/** Every event the V2 domain writes, and every upcast V1 event, is at this version. */
export const CURRENT_SCHEMA_VERSION = 2 as const;

/**
 * The V2 event envelope as the domain sees it: `{ type, schemaVersion: 2, data, metadata }`.
 * Event payload schemas accept whatever history holds (any text, any number): the stricter
 * input rules (non-empty names, integer sort orders, uppercase categories) sit on the commands.
 */
export const v2EventSchema = <T extends string, D extends z.ZodObject>(type: T, data: D) =>
  z.object({
    type: z.literal(type),
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    data,
    metadata: EventMetadataSchema,
  });

/**
 * A command: `{ type, data, metadata }`; the HTTP layer validates `data` with the payload schema.
 */
export const commandSchema = <T extends string, D extends z.ZodObject>(type: T, data: D) =>
  z.object({ type: z.literal(type), data, metadata: CommandMetadataSchema });
