/**
 * The shapes every event store adapter speaks. Domain code, upcasters and projections import
 * only these types, never an adapter.
 */

/** Who, when and why. Unknown extra fields written by the legacy portal are kept. */
export interface EventMetadata {
  /** Business time (ISO-8601 UTC): when it happened, which may be earlier than recordedAt. */
  occurredAt: string;
  actor: string;
  correlationId?: string;
  causationId?: string;
  [extra: string]: unknown;
}

/** An event as a writer hands it to the store. */
export interface NewEvent {
  eventId: string;
  type: string;
  /** Absent for legacy (V1) events, which means version 1; the store writes no default. */
  schemaVersion?: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /**
   * Only a restore (the import of an export) sets this: the store keeps the recorded time and
   * global position the event had in the log it came from instead of assigning them. The SQL
   * adapters honour both (a position must lie beyond the log's end); EventStoreDB assigns both
   * itself and ignores it.
   */
  restored?: { recordedAt?: string; position?: bigint };
}

/** An event as the store hands it back. */
export interface StoredEvent {
  eventId: string;
  streamId: string;
  /** Per stream, from 0. */
  revision: number;
  /** Global, strictly increasing in read order; a string in JSON. */
  position: bigint;
  type: string;
  /** 1 when the raw event carried none. */
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata & { recordedAt: string };
}

/** An event after the upcaster chain: what aggregates, projections and audit views consume. */
export interface UpcastEvent {
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}
