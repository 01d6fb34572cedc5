/**
 * Sleeps between polls that end early: when the taker's signal aborts, when
 * this process offers a task (its own takers need not wait for the next
 * poll), or at close().
 */
export class Wakeups {
  private readonly sleepers = new Set<() => void>();

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      this.sleepers.add(done);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}

/**
 * `work`'s value, or undefined once `ms` passed or `signal` aborted first (the
 * work goes on; its late value is dropped). An already settled `work` wins over
 * `ms` = 0: its callbacks run before any timer.
 */
export function within<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = () => finish(() => resolve(undefined));
    const timer = setTimeout(onAbort, ms);
    signal?.addEventListener('abort', onAbort);
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
