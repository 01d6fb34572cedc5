import { Decider, fold } from '@herald/kernel';

/**
 * given(events).when(command).then(events) | .thenThrows(match), after
 * Emmett's DeciderSpecification: the whole rule is visible in one line of test.
 */
export function deciderSpecification<S, C, E>(decider: Decider<S, C, E>) {
  return {
    given(events: E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, fold(decider, events));
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(match: Partial<{ code: string; kind: string; message: string | RegExp }>) {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(Error);
              const { message, ...rest } = match;
              expect(caught).toMatchObject(rest);
              if (message !== undefined) expect((caught as Error).message).toMatch(message);
            },
          };
        },
      };
    },
  };
}
