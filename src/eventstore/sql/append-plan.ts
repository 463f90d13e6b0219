import { leadingDuplicates, type StoredCopy } from '../duplicate-check';
import type { NewEvent } from '../event';
import { WrongExpectedRevisionError } from '../errors';
import type { AppendResult, ExpectedRevision, StreamAppend } from '../event-store.port';
import type { SqlClient } from './sql-client';

/** A stored event, as far as planning needs it (a retried event is compared with it). */
export interface StoredRow {
  event_id: string;
  stream_id: string;
  revision: number;
  position: string;
  type: string;
  schema_version: number | null;
  data: unknown;
  metadata: unknown;
}

/** A stored event as planning compares it with a retried one, and where a no-op retry ends. */
export interface StoredEventCopy extends StoredCopy {
  position: bigint;
}

/** What an append is planned on: each stream's current revision and the events already stored. */
export interface PlanInputs {
  revisions: Map<string, number>;
  stored: Map<string, StoredEventCopy>;
}

export interface PlannedRow {
  streamId: string;
  revision: number;
  event: NewEvent;
}

export interface AppendPlan {
  rows: PlannedRow[];
  /** `positions`: where the rows of the whole batch were written, in row order. */
  result(positions: readonly bigint[]): AppendResult;
}

/**
 * The inputs as the writers state them, without reading anything: each stream at its expected
 * revision and none of the events stored. A command always states the revision it was decided
 * on, so this is what the log holds unless someone wrote meanwhile or this is a retry; the
 * database checks it under the append lock, and the append is planned again on a read when it
 * was wrong. An append that does not state a revision (`any`, `stream_exists`) is planned on the
 * revision `remembered` gives (what this process last wrote or read there), checked the same
 * way; undefined when it gives none.
 */
export function statedInputs(
  appends: StreamAppend[],
  remembered: (streamId: string) => number | undefined = () => undefined,
): PlanInputs | undefined {
  const revisions = new Map<string, number>();
  const seen = new Set<string>();
  for (const { streamId, expectedRevision } of appends) {
    // A later append to the same stream expects what the earlier ones leave: the stream's own
    // revision is the one stated first.
    if (seen.has(streamId)) continue;
    seen.add(streamId);
    if (expectedRevision === 'no_stream') continue;
    const revision = typeof expectedRevision === 'number' ? expectedRevision : remembered(streamId);
    if (revision === undefined) return undefined;
    revisions.set(streamId, revision);
  }
  return { revisions, stored: new Map() };
}

/** The inputs as committed now: one index probe per stream and per event id. */
export async function readInputs(sql: SqlClient, appends: StreamAppend[]): Promise<PlanInputs> {
  const streamIds = [...new Set(appends.map((a) => a.streamId))];
  const eventIds = appends.flatMap((a) => a.events.map((e) => e.eventId));
  const [current, stored] = await Promise.all([
    // The unique (stream_id, revision) index, read backwards.
    sql.query<{ stream_id: string; revision: number | null }>(
      `SELECT s.id AS stream_id,
         (SELECT e.revision::int4 FROM es_events e WHERE e.stream_id = s.id ORDER BY e.revision DESC LIMIT 1) AS revision
       FROM unnest($1::text[]) AS s(id)`,
      [streamIds],
    ),
    sql.query<StoredRow>(
      `SELECT event_id::text AS event_id, stream_id, revision::int4 AS revision, position::text AS position,
         type, schema_version, data, metadata FROM es_events WHERE event_id = ANY($1::uuid[])`,
      [eventIds],
    ),
  ]);
  const revisions = new Map<string, number>();
  for (const row of current) if (row.revision !== null) revisions.set(row.stream_id, row.revision);
  return { revisions, stored: new Map(stored.map((row) => [row.event_id, storedCopyOf(row)])) };
}

export function storedCopyOf(row: StoredRow): StoredEventCopy {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: row.schema_version ?? undefined,
    data: row.data,
    metadata: row.metadata,
  };
}

/**
 * Decides, for each append in order, which events are retries of stored ones (a no-op when
 * identical), checks the expected revision and assigns revisions. Throws before anything is
 * written if any append is refused, so a batch is all or nothing.
 */
export function planAppends(appends: StreamAppend[], inputs: PlanInputs): AppendPlan[] {
  const revisions = new Map(inputs.revisions);
  let offset = 0;
  return appends.map((append) => {
    const duplicates = leadingDuplicates(append.streamId, append.events, inputs.stored);
    const actual = revisions.get(append.streamId);
    const firstDuplicate = duplicates[0];
    if (firstDuplicate) {
      const before = firstDuplicate.revision - 1;
      checkExpected(append.streamId, append.expectedRevision, before < 0 ? undefined : before);
    }
    const fresh = append.events.slice(duplicates.length);
    const lastDuplicate = duplicates.at(-1);
    if (fresh.length === 0) {
      return {
        rows: [],
        result: () => resultOf(lastDuplicate!.revision, lastDuplicate!.position, 0),
      };
    }
    if (lastDuplicate) {
      if (actual !== lastDuplicate.revision) {
        throw new WrongExpectedRevisionError(append.streamId, lastDuplicate.revision, actual);
      }
    } else {
      checkExpected(append.streamId, append.expectedRevision, actual);
    }
    const start = (actual ?? -1) + 1;
    const rows = fresh.map((event, i) => ({
      streamId: append.streamId,
      revision: start + i,
      event,
    }));
    revisions.set(append.streamId, start + fresh.length - 1);
    const rowOffset = offset;
    offset += rows.length;
    return {
      rows,
      result: (positions) =>
        resultOf(start + fresh.length - 1, positions[rowOffset + rows.length - 1]!, rows.length),
    };
  });
}

function resultOf(nextExpectedRevision: number, position: bigint, written: number): AppendResult {
  return { nextExpectedRevision, position, written };
}

function checkExpected(
  streamId: string,
  expected: ExpectedRevision,
  actual: number | undefined,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === undefined) ||
    (expected === 'stream_exists' && actual !== undefined) ||
    expected === actual;
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, actual);
}
