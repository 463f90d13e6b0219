import type { ProjectionDefinition, RowRef, RowSetRef, Rows } from '../projection-definition';
import {
  v2Handlers,
  type V2EventType,
  type V2Handler,
  type V2ProjectionEvent,
} from '../v2-handlers';

/** A V2 handler that may also read rows by a column's value, and rows named by rows it read. */
export interface StagedHandler<T extends V2EventType> extends V2Handler<T> {
  readsWhere?: (event: V2ProjectionEvent<T>) => RowSetRef[];
  readsAfter?: (event: V2ProjectionEvent<T>, rows: Pick<Rows, 'get' | 'where'>) => RowRef[];
}

export type StagedHandlers = { [T in V2EventType]: StagedHandler<T> };

/** `v2Handlers` for handlers with the later read stages, each stage's code in the fingerprint. */
export function stagedHandlers(
  handlers: StagedHandlers,
): Required<
  Pick<ProjectionDefinition, 'reads' | 'readsWhere' | 'readsAfter' | 'apply' | 'handlerSource'>
> {
  const base = v2Handlers([], handlers);
  // A Map, not the object: an event type such as `constructor` must not find a prototype member.
  const byType = new Map<string, StagedHandler<V2EventType>>(
    Object.entries(handlers) as [string, StagedHandler<V2EventType>][],
  );
  // The map is keyed by the event's own type, so the handler found is the one for that type.
  const typed = (event: Parameters<ProjectionDefinition['reads']>[0]) =>
    event as V2ProjectionEvent<V2EventType>;
  return {
    ...base,
    readsWhere: (event) => byType.get(event.type)?.readsWhere?.(typed(event)) ?? [],
    readsAfter: (event, rows) => byType.get(event.type)?.readsAfter?.(typed(event), rows) ?? [],
    handlerSource: [
      base.handlerSource,
      ...[...byType].map(([type, h]) => `${type}:${h.readsWhere}:${h.readsAfter}`).sort(),
    ].join('\n'),
  };
}
