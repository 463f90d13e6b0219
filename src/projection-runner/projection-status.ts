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
}
