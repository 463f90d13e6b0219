import type { z } from 'zod';
import type { CommandMetadata, DomainEventMetadata } from './schemas';

/** An event as `decide` returns it: the handler stamps metadata (and the event id) on append. */
export type Unstamped<E> = E extends unknown ? Omit<E, 'metadata'> : never;

export interface DomainCommand {
  type: string;
  data: object;
  metadata: CommandMetadata;
}

export interface DomainEvent {
  type: string;
  schemaVersion: number;
  data: object;
  metadata: DomainEventMetadata;
}

/**
 * What a generic command handler needs to load, fold, decide and append for one aggregate.
 * `evolve` takes unstamped events so that it folds both decided and stored (upcast) events.
 */
export interface Decider<C extends DomainCommand, E extends DomainEvent, S> {
  readonly streamCategory: string;
  readonly eventTypes: ReadonlyArray<E['type']>;
  /** Parses an upcast event read from the store into this aggregate's typed event. */
  readonly eventSchema: z.ZodType<E>;
  readonly initialState: S;
  streamIdFor(command: C): string;
  decide(command: C, state: S): Array<Unstamped<E>>;
  evolve(state: S, event: Unstamped<E>): S;
  /**
   * Folds many events at once, as `events.reduce(evolve, state)` would: for an aggregate whose
   * state grows large, where copying it at every event would make a long stream costly to load.
   */
  evolveAll?(state: S, events: ReadonlyArray<Unstamped<E>>): S;
}

/** A stream's events folded onto `state` by the decider's own rules. */
export const foldEvents = <C extends DomainCommand, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  state: S,
  events: ReadonlyArray<Unstamped<E>>,
): S =>
  decider.evolveAll ? decider.evolveAll(state, events) : events.reduce(decider.evolve, state);

export const streamId = (category: string, id: string): string => `${category}-${id}`;

/** Compile-time proof that a `switch` handled every member of a union; throws if reached anyway. */
export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};

/**
 * The exhaustiveness check for `evolve`: it does not compile while a known event is unhandled,
 * but at run time an event type this build does not know leaves the state as it is, so an older
 * reader never fails on a newer history.
 */
export const ignoreUnknownEvent = <S>(_event: never, state: S): S => state;
