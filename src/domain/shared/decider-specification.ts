import type { Decider, DomainCommand, DomainEvent, Unstamped } from './decider';
import { isDomainError, type DomainError } from './domain-error';

export interface DecisionOutcome<E extends DomainEvent> {
  /** The decided events, or undefined when the command was rejected. */
  events?: Array<Unstamped<E>>;
  /** The rejection, or undefined when the command was accepted. */
  error?: DomainError;
}

/** Freezes a state and everything it holds, so that changing it in place throws. */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
};

const fold = <C extends DomainCommand, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  history: ReadonlyArray<Unstamped<E>>,
): S =>
  history.reduce(
    (state, event) => deepFreeze(decider.evolve(state, event)),
    deepFreeze(decider.initialState),
  );

/**
 * Given/when for decider tests, in the spirit of emmett's DeciderSpecification but without
 * test-framework globals, so it compiles with the production build too. Every state is frozen:
 * the command executor keeps folded states between commands and shares them between concurrent
 * loads, which is only safe while `evolve` and `decide` never change a state in place.
 */
export const DeciderSpecification = {
  for: <C extends DomainCommand, E extends DomainEvent, S>(decider: Decider<C, E, S>) => ({
    given: (history: ReadonlyArray<Unstamped<E>>) => ({
      state: (): S => fold(decider, history),
      when: (command: C): DecisionOutcome<E> => {
        const state = fold(decider, history);
        try {
          return { events: decider.decide(command, state) };
        } catch (error) {
          if (isDomainError(error)) return { error };
          throw error;
        }
      },
    }),
  }),
};
