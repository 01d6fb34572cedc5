/**
 * A pause that the object taking it can cut short: a stop that should not
 * wait out a resubscribe delay, news of an append during a poll interval.
 * One sleeper at a time (each subscription loop has one).
 */
export class WakeableSleep {
  private wakeUp: (() => void) | null = null;

  /** Resolves after `ms`, or as soon as `wake()` is called. */
  for(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Ends the current sleep at once; nothing when none is under way (a later sleep is not shortened). */
  wake(): void {
    this.wakeUp?.();
  }
}
