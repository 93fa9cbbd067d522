/**
 * Emmett-style decider: `decide` turns a command into events against the state
 * folded from history by `evolve`. Both are pure so they can be tested from
 * events alone and replayed identically by any projection.
 */
export interface Decider<State, Command, Event> {
  decide(command: Command, state: State): Event | Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/**
 * A command that contradicts the stream's own history. Callers map it to a
 * conflict response; it is never a sign of malformed input.
 */
export class DomainRuleViolation<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
