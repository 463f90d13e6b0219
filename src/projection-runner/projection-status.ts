import type { WriterLease } from './version-lock';

/** What `projections status`, `GET /projections` and the runner agree a version's state is. */
export type VersionStatus = 'rebuilding' | 'running' | 'failed' | 'retired';

export interface ProjectionVersionStatus {
  name: string;
  version: number;
  status: VersionStatus;
  live: boolean;
  /** Checkpoint: the last position applied. */
  position: string;
  headPosition: string;
  /** Events behind the head of the log (0 when caught up). */
  lag: string;
  eventsApplied: string;
  startedAt: string;
  caughtUpAt: string | null;
  failure: { position: string; eventId: string; type: string; error: string } | null;
  validation: { against: string; at: string; passed: boolean } | null;
  /** What the version was built with (null: built before fingerprints were recorded). */
  fingerprint: { schema: string; handlers: string; upcasters: string } | null;
  /** Why this build refuses to continue or switch to it (its definition changed), or null. */
  definitionChanged: string | null;
  /** Events an operator let this version pass (`projections skip`). */
  skipped: SkippedEvent[];
  /** The service process that follows the log for this version, or null: none has yet. */
  writer: WriterLease | null;
}

/** A version's status as the catalog records it: all but who writes it. */
export type RecordedVersionStatus = Omit<ProjectionVersionStatus, 'writer'>;

/** An event a version passed without applying it, on an operator's recorded decision. */
export interface SkippedEvent {
  eventId: string;
  position: string;
  type: string;
  /** Why the version had stopped there. */
  error: string;
  reason: string;
  actor: string;
  at: string;
}
