import type { NewEvent, StoredEvent } from './event';

/** What the writer believes about the stream before its append. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last event of the append (the stream's revision after it). */
  nextExpectedRevision: number;
  /** Global position of the last event of the append. */
  position: bigint;
  /** How many events were newly written; 0 when every event was already stored (a retry). */
  written: number;
}

export interface StreamAppend {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: NewEvent[];
}

export interface ReadStreamOptions {
  /** Inclusive; defaults to the start. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: returns events strictly after this position. 0n reads from the start. */
  after?: bigint;
  maxCount?: number;
  /** Stream categories (`supplier`, `tasktype`, ...): the part of the stream id before the first `-`. */
  categories?: string[];
  types?: string[];
}

/** Keyset paging over an index: events strictly after `after`, in log order. */
export interface ReadIndexedOptions {
  after?: bigint;
  maxCount?: number;
}

export interface ReadByActorOptions extends ReadIndexedOptions {
  /** Business time (`occurredAt`), inclusive lower bound, ISO-8601. */
  from?: string;
  /** Business time (`occurredAt`), exclusive upper bound, ISO-8601. */
  to?: string;
}

/**
 * The event store port. Every adapter guarantees:
 * - per-stream revisions from 0, contiguous, optimistic concurrency on `expectedRevision`;
 * - a global `position` that is strictly increasing in the order `readAll` returns events, and
 *   `readAll({ after: p })` returns exactly the events not yet seen by a reader that has read up
 *   to `p` (no event that commits late is ever skipped);
 * - appending an event whose `eventId` is already stored with identical content is a no-op.
 */
export interface EventStore {
  append(
    streamId: string,
    events: NewEvent[],
    expectedRevision?: ExpectedRevision,
  ): Promise<AppendResult>;
  /**
   * Several streams at once. Atomic on the SQL adapters (one transaction); on EventStoreDB each
   * stream's append is atomic and they run in order.
   */
  appendMany(appends: StreamAppend[]): Promise<AppendResult[]>;
  /**
   * Several streams in one all-or-nothing append: every expected revision holds and every
   * stream is written, or nothing is. Only where the store has such appends (the SQL adapters'
   * `appendMany`; EventStoreDB has none across streams).
   */
  appendAtomically?(appends: StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** One event by its id (an index lookup), or undefined. */
  readEvent(eventId: string): Promise<StoredEvent | undefined>;
  /** The events whose metadata carries this correlation id, in log order (indexed). */
  readByCorrelation(correlationId: string, options?: ReadIndexedOptions): Promise<StoredEvent[]>;
  /** The events whose metadata names this actor, in log order (indexed). */
  readByActor(actor: string, options?: ReadByActorOptions): Promise<StoredEvent[]>;
  /** The position of the last readable event (0n for an empty log). */
  headPosition(): Promise<bigint>;
  /**
   * Resolves once an event after `after` may be readable, or after `timeoutMs`, or when `signal`
   * aborts; never rejects for those reasons.
   */
  waitForEvents(after: bigint, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * After a bulk load (an import, a restore): the store brings what its query planner knows of
   * the log up to date, so that the reads that follow (the claims backfill, the rebuilds) are
   * planned on the log's real size, whether or not the database's autovacuum runs.
   */
  afterBulkLoad(): Promise<void>;
  close(): Promise<void>;
}

export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}
