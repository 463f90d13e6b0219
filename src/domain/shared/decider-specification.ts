import type { Decider, DomainCommand, DomainEvent, Unstamped } from './decider';
import { isDomainError, type DomainError } from './domain-error';

export interface DecisionOutcome<E extends DomainEvent> {
  /** The decided events, or undefined when the command was rejected. */
  events?: Array<Unstamped<E>>;
  /** The rejection, or undefined when the command was accepted. */
  error?: DomainError;
}

/**
 * Given/when for decider tests, in the spirit of emmett's DeciderSpecification but without
 * test-framework globals, so it compiles with the production build too.
 */
export const DeciderSpecification = {
  for: <C extends DomainCommand, E extends DomainEvent, S>(decider: Decider<C, E, S>) => ({
    given: (history: ReadonlyArray<Unstamped<E>>) => ({
      state: (): S => history.reduce(decider.evolve, decider.initialState),
      when: (command: C): DecisionOutcome<E> => {
        const state = history.reduce(decider.evolve, decider.initialState);
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
