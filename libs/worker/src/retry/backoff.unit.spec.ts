import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1_000 };

  it('doubles the ceiling with each failure until the cap', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, options, top))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('waits at least half the ceiling, so a retry never comes at once', () => {
    const bottom = () => 0;
    expect([1, 2, 3, 10].map((n) => backoffDelay(n, options, bottom))).toEqual([50, 100, 200, 500]);
  });

  it('spreads waits across the upper half of the ceiling', () => {
    expect(backoffDelay(3, options, () => 0.5)).toBe(300);
    const delays = Array.from({ length: 200 }, () => backoffDelay(3, options));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...delays)).toBeLessThanOrEqual(400);
    expect(new Set(delays).size).toBeGreaterThan(10);
  });

  it('stays at the cap however long the outage, without overflowing', () => {
    expect(backoffDelay(10_000, options, () => 1)).toBe(1_000);
    expect(backoffDelay(0, options, () => 1)).toBe(100);
  });
});
