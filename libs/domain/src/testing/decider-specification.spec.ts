import { AssertionError } from 'node:assert';
import { Decider } from '../decider';
import { DeciderSpecification } from './decider-specification';

// A counter that refuses to go above a limit: small enough to check the helper itself.
type Added = { added: number };
class LimitExceeded extends Error {}
const counter: Decider<number, { add: number }, Added> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.added,
  decide: ({ add }, total) => {
    if (total + add > 10) throw new LimitExceeded(`limit exceeded by ${total + add - 10}`);
    return { added: add };
  },
};
const spec = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('passes when the decided events match, a single event counting as a list of one', () => {
    expect(() =>
      spec
        .given([{ added: 4 }])
        .when({ add: 6 })
        .then([{ added: 6 }]),
    ).not.toThrow();
  });

  it('fails when the decided events differ', () => {
    expect(() =>
      spec
        .given([])
        .when({ add: 6 })
        .then([{ added: 7 }]),
    ).toThrow(AssertionError);
  });

  it('decides against the state folded from the given events', () => {
    expect(() =>
      spec
        .given([{ added: 4 }, { added: 5 }])
        .when({ add: 2 })
        .then([{ added: 2 }]),
    ).toThrow(LimitExceeded);
  });

  it('accepts an expected error class, a predicate, or both', () => {
    const overLimit = spec.given([{ added: 9 }]).when({ add: 3 });
    expect(() => overLimit.thenThrows(LimitExceeded)).not.toThrow();
    expect(() => overLimit.thenThrows((error) => error instanceof LimitExceeded)).not.toThrow();
    expect(() => overLimit.thenThrows(LimitExceeded, (error) => error.message === 'limit exceeded by 2')).not.toThrow();
    expect(() => overLimit.thenThrows()).not.toThrow();
  });

  it('fails when decide throws something else than expected', () => {
    const overLimit = spec.given([{ added: 9 }]).when({ add: 3 });
    expect(() => overLimit.thenThrows(TypeError)).toThrow(AssertionError);
    expect(() => overLimit.thenThrows(() => false)).toThrow(AssertionError);
    expect(() => overLimit.thenThrows(LimitExceeded, (error) => error.message === 'other')).toThrow(AssertionError);
  });

  it('fails when decide does not throw at all', () => {
    expect(() => spec.given([]).when({ add: 1 }).thenThrows(LimitExceeded)).toThrow('expected decide to throw');
  });
});
