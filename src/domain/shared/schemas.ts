import { z } from 'zod';

/** Any 8-4-4-4-12 hex id: legacy ids are uuids, but not all of them carry RFC version bits. */
export const IdSchema = z.guid();

/** A calendar date without time, `YYYY-MM-DD`, as both V1 and V2 write due dates. */
export const DueDateSchema = z.iso.date();

export const NonEmptyTextSchema = z.string().trim().min(1);

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
