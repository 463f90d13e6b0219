import type { Decider, DomainCommand, DomainEvent } from '../../domain/shared/decider';
import type { StoredEvent } from '../../eventstore/event';
import type { EventStore } from '../../eventstore/event-store.port';
import { upcastStored, type UpcastStoredEvent } from '../../../upcasters';
import { foldStored } from '../fold-stored';

/** Which events of a stream count as "then". */
export type Moment =
  | { by: 'now' }
  | { by: 'position'; position: bigint }
  | { by: 'business'; at: number }
  | { by: 'recorded'; at: number };

/**
 * Whether a stored event belongs to the moment: business time is the event's `occurredAt` (a
 * backdated event counts from when it happened, wherever it sits in the stream), recorded time is
 * when the store took it, a position is the log up to it.
 */
export function isBy(moment: Moment, stored: StoredEvent): boolean {
  switch (moment.by) {
    case 'now':
      return true;
    case 'position':
      return stored.position <= moment.position;
    case 'business':
      return Date.parse(stored.metadata.occurredAt) <= moment.at;
    case 'recorded':
      return Date.parse(stored.metadata.recordedAt) <= moment.at;
    default: {
      const unknown: never = moment;
      return unknown;
    }
  }
}

export interface FoldedStream<S> {
  state: S;
  /** The events folded, upcast, in stream order. */
  events: UpcastStoredEvent[];
  /** Of the last stored event folded. */
  revision: number;
  position: bigint;
}

/**
 * A stream's state at a moment: its events of then, through the upcasters, folded with the
 * domain's own `evolve`, as the command side loads an aggregate. Undefined when none counts.
 */
export async function foldStreamAt<C extends DomainCommand, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  moment: Moment,
): Promise<FoldedStream<S> | undefined> {
  const stored = (await store.readStream(streamId)).filter((event) => isBy(moment, event));
  const last = stored.at(-1);
  if (last === undefined) return undefined;
  const events = stored.flatMap(upcastStored);
  const state = foldStored(decider, streamId, decider.initialState, events);
  return { state, events, revision: last.revision, position: last.position };
}
