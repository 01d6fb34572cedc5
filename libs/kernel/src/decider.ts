/**
 * The decider pattern (as in Emmett): state is a left fold of events, and a
 * decision is a pure function of a command and that state. No I/O anywhere,
 * so every rule is testable as given-events / when-command / then-events.
 */
export interface Decider<TState, TCommand, TEvent> {
  readonly initialState: () => TState;
  readonly evolve: (state: TState, event: TEvent) => TState;
  readonly decide: (command: TCommand, state: TState) => TEvent[];
}

export function fold<TState, TEvent>(decider: Pick<Decider<TState, unknown, TEvent>, 'initialState' | 'evolve'>, events: readonly TEvent[]): TState {
  return events.reduce(decider.evolve, decider.initialState());
}
