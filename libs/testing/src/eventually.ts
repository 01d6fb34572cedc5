/**
 * Polls `probe` until it returns a value that `accept` likes, or fails with
 * the last value seen once the deadline passes. Tests wait on conditions,
 * never on sleeps.
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  accept: (value: T) => boolean = Boolean,
  { timeoutMs = 10_000, intervalMs = 10, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  // Whatever the probe threw, printed as thrown: Errors (what probes throw) print as "Name: message".
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const seen = lastError ? `error ${String(lastError)}` : JSON.stringify(last);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
}
