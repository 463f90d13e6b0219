import {
  foldEvents,
  type Decider,
  type DomainCommand,
  type DomainEvent,
  type Unstamped,
} from '../domain/shared/decider';
import type { UpcastStoredEvent } from '../../upcasters';

/**
 * Stored events, already upcast, folded onto `state` by the decider: each is parsed with the
 * aggregate's event schema first. A type this build does not know (written by a newer one)
 * leaves the state as it is; a known type that does not match its schema is an error.
 */
export function foldStored<C extends DomainCommand, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  streamId: string,
  state: S,
  events: readonly UpcastStoredEvent[],
): S {
  const known = new Set<string>(decider.eventTypes);
  const parsed: Array<Unstamped<E>> = [];
  for (const event of events) {
    if (!known.has(event.type)) continue;
    const result = decider.eventSchema.safeParse(event);
    if (!result.success) {
      throw new Error(
        `${streamId}@${event.revision}: stored ${event.type} does not match its schema: ${result.error.message}`,
      );
    }
    // A stored event is an unstamped one plus metadata; TS cannot see that through the generic.
    parsed.push(result.data as unknown as Unstamped<E>);
  }
  return foldEvents(decider, state, parsed);
}
