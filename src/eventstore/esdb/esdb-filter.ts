import {
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type Filter,
} from '@eventstore/db-client';
import { categoryOf, type ReadAllOptions } from '../event-store.port';

/**
 * The server-side filter for a read of `$all`, so that the server skips what the reader does
 * not want (system events above all: `$stats-*` and the like grow with uptime) instead of
 * sending it. A server filter is on stream name or on event type, not both: categories go to
 * the server when given (they are the narrower choice for a projection), types otherwise, and
 * `accepts` applies the whole selection to what comes back.
 */
export function serverFilterOf(options: Pick<ReadAllOptions, 'categories' | 'types'>): Filter {
  if (options.categories) {
    return streamNameFilter({ regex: `^(?:${alternatives(options.categories)})(?:-|$)` });
  }
  if (options.types) return eventTypeFilter({ regex: `^(?:${alternatives(options.types)})$` });
  return excludeSystemEvents();
}

/** Whether an event from `$all` belongs to the read: never a system event or system stream. */
export function accepts(
  event: { streamId: string; type: string },
  options: Pick<ReadAllOptions, 'categories' | 'types'>,
): boolean {
  if (event.type.startsWith('$') || event.streamId.startsWith('$')) return false;
  if (options.categories && !options.categories.includes(categoryOf(event.streamId))) return false;
  if (options.types && !options.types.includes(event.type)) return false;
  return true;
}

function alternatives(names: string[]): string {
  // An empty list selects nothing; a pattern that cannot match keeps that meaning on the server.
  if (names.length === 0) return '(?!)';
  return names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
