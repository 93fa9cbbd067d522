import { AssertionError, deepStrictEqual } from 'node:assert';
import { Decider } from '../decider';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;
type ErrorPredicate = (error: unknown) => boolean;

/**
 * Given / when / then over a decider, after Emmett's DeciderSpecification:
 * history is given as events, the command is decided against the state folded
 * from them, and the outcome is compared. Uses node:assert so it runs under
 * any test runner.
 */
export const DeciderSpecification = {
  for<State, Command, Event>(decider: Decider<State, Command, Event>) {
    return {
      given(history: Event[]) {
        return {
          when(command: Command) {
            const run = (): Event[] => {
              const state = history.reduce(decider.evolve, decider.initialState());
              return toArray(decider.decide(command, state));
            };
            return {
              then(expected: Event[]): void {
                deepStrictEqual(run(), expected);
              },
              thenThrows<E extends Error>(expectation?: ErrorClass<E> | ErrorPredicate, predicate?: (error: E) => boolean): void {
                let decided: Event[];
                try {
                  decided = run();
                } catch (error) {
                  assertThrownAsExpected(error, expectation, predicate as ErrorPredicate | undefined);
                  return;
                }
                throw new AssertionError({
                  message: `expected decide to throw, but it decided ${JSON.stringify(decided)}`,
                });
              },
            };
          },
        };
      },
    };
  },
};

function assertThrownAsExpected(
  error: unknown,
  expectation: ErrorClass<Error> | ErrorPredicate | undefined,
  predicate: ErrorPredicate | undefined,
): void {
  if (isErrorClass(expectation)) {
    if (!(error instanceof expectation)) {
      throw new AssertionError({ message: `expected a ${expectation.name}, but decide threw ${describe(error)}` });
    }
  } else if (expectation && !expectation(error)) {
    throw new AssertionError({ message: `thrown error did not match the predicate: ${describe(error)}` });
  }
  if (predicate && !predicate(error)) {
    throw new AssertionError({ message: `thrown error did not match the predicate: ${describe(error)}` });
  }
}

/** Arrow-function predicates have no prototype; error classes derive from Error. */
function isErrorClass(candidate: unknown): candidate is ErrorClass<Error> {
  return typeof candidate === 'function' && (candidate === Error || candidate.prototype instanceof Error);
}

function toArray<Event>(events: Event | Event[]): Event[] {
  return Array.isArray(events) ? events : [events];
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
}
