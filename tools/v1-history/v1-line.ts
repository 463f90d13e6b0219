/** One line of a legacy `.ndjson` history: the envelope of docs/legacy-v1/EVENTS.md. */
export interface V1Line {
  streamId: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: {
    occurredAt: string;
    actor: string;
    correlationId?: string;
    causationId?: string;
    [extra: string]: unknown;
  };
}
