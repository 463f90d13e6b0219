import type { StoredEvent } from '../../eventstore/event';
import type { EventStore } from '../../eventstore/event-store.port';
import { exportLine, upcastExportLines } from './export-line';

export interface LogExportFilter {
  /** Exclusive: events strictly after this position. */
  after?: bigint;
  /** Inclusive: no event after this position (a backup up to a migration's position). */
  toPosition?: bigint;
  categories?: string[];
  types?: string[];
  /** Business time (`occurredAt`), inclusive, epoch ms. */
  from?: number;
  /** Business time (`occurredAt`), exclusive, epoch ms. */
  to?: number;
  /** The upcast forms instead of the events as stored. */
  upcast?: boolean;
}

export interface LogExportProgress {
  /** Events read so far, filtered out or not. */
  read: number;
  /** The position last read. */
  position: bigint;
}

/** Events per `readAll` page: one page is all the export holds in memory. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * The log (or the filtered part of it) as ndjson, one string per page of `readAll`, each
 * ending in a newline. It reads the next page only when the consumer asks for more, so a
 * consumer that waits on a slow writer (a file, an HTTP client) keeps memory flat.
 */
export async function* exportLog(
  store: EventStore,
  filter: LogExportFilter = {},
  onProgress: (progress: LogExportProgress) => void = () => undefined,
): AsyncGenerator<string> {
  let after = filter.after ?? 0n;
  let read = 0;
  const inTime = (event: StoredEvent): boolean => {
    if (filter.from === undefined && filter.to === undefined) return true;
    const at = Date.parse(event.metadata.occurredAt);
    return at >= (filter.from ?? -Infinity) && at < (filter.to ?? Infinity);
  };
  for (;;) {
    const page = await store.readAll({
      after,
      maxCount: EXPORT_PAGE_SIZE,
      ...(filter.categories && { categories: filter.categories }),
      ...(filter.types && { types: filter.types }),
    });
    const last = filter.toPosition;
    const events = last === undefined ? page : page.filter((e) => e.position <= last);
    let chunk = '';
    for (const event of events) {
      if (!inTime(event)) continue;
      const lines = filter.upcast ? upcastExportLines(event) : [exportLine(event)];
      for (const line of lines) chunk += `${line}\n`;
    }
    read += events.length;
    const lastRead = events.at(-1);
    if (lastRead) after = lastRead.position;
    onProgress({ read, position: after });
    if (chunk !== '') yield chunk;
    if (page.length < EXPORT_PAGE_SIZE || events.length < page.length) return;
  }
}
