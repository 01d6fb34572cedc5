import { RETRY_AFTER_CAP_MS, retryDelayMs } from './retry-policy';

const policy = { baseDelayMs: 1_000, maxDelayMs: 10_000 };

describe('retryDelayMs', () => {
  it('keeps between half and all of the exponential delay', () => {
    expect(retryDelayMs(policy, 3, 0, null)).toBe(2_000);
    expect(retryDelayMs(policy, 3, 0.999, null)).toBe(3_998);
  });

  it('caps the exponential growth at maxDelayMs', () => {
    expect(retryDelayMs(policy, 20, 0.999, null)).toBeLessThanOrEqual(10_000);
  });

  it('caps Retry-After so a receiver cannot park a reminder forever', () => {
    expect(retryDelayMs(policy, 1, 0, 10 * RETRY_AFTER_CAP_MS)).toBe(RETRY_AFTER_CAP_MS);
  });
});
