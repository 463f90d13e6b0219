import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { NewEvent } from '../eventstore/event';
import { EventIdConflictError, WrongExpectedRevisionError } from '../eventstore/errors';
import type { EventStore, StreamAppend } from '../eventstore/event-store.port';
import { parseImportLine } from './import-line';

/** A line of the file that cannot be imported: names the line, the field and the reason. */
export class ImportLineError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`line ${line}: ${field}: ${reason}`);
    this.name = 'ImportLineError';
  }
}

export interface ImportProgress {
  total: number;
  done: number;
}

export interface ImportResult {
  lines: number;
  written: number;
  alreadyStored: number;
  streams: number;
}

interface PlannedLine {
  line: number;
  streamId: string;
  revision: number;
  event: NewEvent;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Lines per transaction. */
  batchSize?: number;
}

/**
 * Imports a legacy V1 `.ndjson` file, or an export (V1 and V2 events with their recorded time and
 * position: a restore), into the event store, unchanged, in file order.
 *
 * Lines are validated as they are read and written in batches of `batchSize` lines, each batch
 * one transaction (the next batch is read while one is written). A bad line, or a batch the store
 * refuses (a stream in the store that the file does not continue), stops the import: the batches
 * before it stay, nothing of its own batch is written, and since every event keeps its eventId,
 * re-running the fixed file skips what is stored and completes exactly.
 */
export async function importLegacyFile(
  store: EventStore,
  path: string,
  { onProgress = () => undefined, batchSize = 2000 }: ImportOptions = {},
): Promise<ImportResult> {
  const total = await countLines(path);
  let written = 0;
  let done = 0;
  let batch: PlannedLine[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const current = batch;
    batch = [];
    await writing;
    writing = appendBatch(store, current).then((count) => {
      written += count;
      done += current.length;
      onProgress({ total, done });
    });
    writing.catch(() => undefined); // rethrown by the next await, not an unhandled rejection
  };
  const streams = new Map<string, number>();
  const eventIds = new Map<string, number>();
  let count = 0;
  try {
    for await (const { line, value } of lines(path)) {
      const result = parseImportLine(value);
      if (!result.success) throw new ImportLineError(line, result.field, result.reason);
      const { streamId, event } = result;
      const eventId = event.eventId;
      const seen = eventIds.get(eventId);
      if (seen !== undefined) {
        throw new ImportLineError(line, 'eventId', `repeats the eventId of line ${seen}`);
      }
      eventIds.set(eventId, line);
      const revision = streams.get(streamId) ?? 0;
      streams.set(streamId, revision + 1);
      batch.push({ line, streamId, revision, event });
      count++;
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    // What was written stays, a bad line's batches before it included: the store is told of it.
    await writing.catch(() => undefined);
    if (written > 0) await store.afterBulkLoad();
  }
  await writing;
  return { lines: count, written, alreadyStored: count - written, streams: streams.size };
}

/** Lines in the file, for the progress bar's total: a byte count, far cheaper than parsing. */
async function countLines(path: string): Promise<number> {
  let count = 0;
  let last = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
    last = chunk.at(-1) ?? last;
  }
  return last === 10 ? count : count + 1;
}

async function* lines(path: string): AsyncGenerator<{ line: number; value: unknown }> {
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let line = 0;
  for await (const text of reader) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch (error) {
      throw new ImportLineError(line, '(line)', `not valid JSON: ${(error as Error).message}`);
    }
  }
}

/**
 * Appends a batch in one transaction. Consecutive lines of one stream become one append, so the
 * log keeps the file's global order.
 */
async function appendBatch(store: EventStore, batch: PlannedLine[]): Promise<number> {
  const runs: PlannedLine[][] = [];
  for (const planned of batch) {
    const run = runs.at(-1);
    if (run && run[0]!.streamId === planned.streamId) run.push(planned);
    else runs.push([planned]);
  }
  const appends: StreamAppend[] = runs.map((run) => ({
    streamId: run[0]!.streamId,
    expectedRevision: run[0]!.revision === 0 ? 'no_stream' : run[0]!.revision - 1,
    events: run.map((p) => p.event),
  }));
  try {
    const results = await store.appendMany(appends);
    return results.reduce((sum, r) => sum + r.written, 0);
  } catch (error) {
    throw explain(error, batch);
  }
}

function explain(error: unknown, batch: PlannedLine[]): unknown {
  if (error instanceof WrongExpectedRevisionError) {
    const first = batch.find((p) => p.streamId === error.streamId)!;
    const actual = error.actual === undefined ? 'has no events' : `is at revision ${error.actual}`;
    return new ImportLineError(
      first.line,
      'streamId',
      `${first.streamId} ${actual} in the store, so this line (its revision ${first.revision}) does not follow on`,
    );
  }
  if (error instanceof EventIdConflictError) {
    const line = batch.find((p) => p.event.eventId === error.eventId)!;
    return new ImportLineError(line.line, 'eventId', error.message);
  }
  return error;
}
