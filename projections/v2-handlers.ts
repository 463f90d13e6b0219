import type { ProjectEvent } from '../src/domain/project/project.events';
import type { SupplierEvent } from '../src/domain/supplier/supplier.events';
import type { SupplierProjectEvent } from '../src/domain/supplier-project/supplier-project.events';
import type { TaskTypeEvent } from '../src/domain/task-type/task-type.events';
import type { ProjectionDefinition, ProjectionEvent, RowRef, Rows } from './projection-definition';

/** Every V2 event: what projections see, since every read path upcasts. */
export type V2Event = SupplierEvent | ProjectEvent | TaskTypeEvent | SupplierProjectEvent;
export type V2EventType = V2Event['type'];

/** An upcast event of one V2 type, its data typed from the union. */
export type V2ProjectionEvent<T extends V2EventType> = Omit<ProjectionEvent, 'type' | 'data'> &
  Pick<Extract<V2Event, { type: T }>, 'type' | 'data'>;

/** What a projection does with one event type: the rows it reads (none unless said), its row changes. */
export interface V2Handler<T extends V2EventType> {
  reads?: (event: V2ProjectionEvent<T>) => RowRef[];
  apply: (event: V2ProjectionEvent<T>, rows: Rows) => void;
}

/** A handler for every V2 event type a projection has not listed as ignored. */
export type V2Handlers<Ignored extends V2EventType> = {
  [T in Exclude<V2EventType, Ignored>]: V2Handler<T>;
};

/**
 * A projection's `reads` and `apply` from a handler per V2 event type and an explicit list of the
 * types it ignores on purpose: a new V2 event type does not compile until it is in one or the
 * other. A type no V2 union holds (one added by a later build) leaves the projection unchanged.
 *
 * The data is not parsed per event: it was parsed against the same V2 schemas when a command
 * wrote it, or made by the upcasters (whose tests parse what they make), and a rebuild reads
 * millions of events.
 */
export function v2Handlers<const Ignored extends readonly V2EventType[]>(
  _ignored: Ignored,
  handlers: V2Handlers<Ignored[number]>,
): Pick<ProjectionDefinition, 'reads' | 'apply'> {
  // A Map, not the object: an event type such as `constructor` must not find a prototype member.
  const byType = new Map<string, V2Handler<V2EventType>>(
    Object.entries(handlers) as [string, V2Handler<V2EventType>][],
  );
  // The map is keyed by the event's own type, so the handler found is the one for that type.
  const typed = (event: ProjectionEvent) => event as V2ProjectionEvent<V2EventType>;
  return {
    reads: (event) => byType.get(event.type)?.reads?.(typed(event)) ?? [],
    apply: (event, rows) => byType.get(event.type)?.apply(typed(event), rows),
  };
}
