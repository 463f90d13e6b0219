/**
 * The one generator of legacy V1 histories (docs/legacy-v1/EVENTS.md), for the benchmarks and
 * the projection tests alike. Framework-free, so that both can import it.
 */
import { HistoryGenerator, type V1HistoryOptions } from './history-generator';
import type { V1Line } from './v1-line';
import { writeV1Lines } from './write-v1-lines';

export type { V1HistoryOptions } from './history-generator';
export type { V1Line } from './v1-line';
export { AWKWARD_TEXT } from './vocabulary';
export { writeV1Lines } from './write-v1-lines';

export interface GeneratedHistory {
  events: number;
  streams: number;
}

/** The history line by line, in file order; streams, so any size fits in memory. */
export function generateV1History(options: V1HistoryOptions): Generator<V1Line> {
  return new HistoryGenerator(options).lines();
}

/** Writes the history to `path` as NDJSON, streaming. */
export async function writeV1History(
  path: string,
  options: V1HistoryOptions,
): Promise<GeneratedHistory> {
  const generator = new HistoryGenerator(options);
  const events = await writeV1Lines(path, generator.lines());
  return { events, streams: generator.streams };
}
