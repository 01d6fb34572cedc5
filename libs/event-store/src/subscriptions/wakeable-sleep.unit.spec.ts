import { WakeableSleep } from './wakeable-sleep';

describe('WakeableSleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Whether the promise has settled, after letting pending callbacks run. */
  const settled = async (p: Promise<void>) => {
    let done = false;
    void p.then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    return done;
  };

  it('resolves once its time has passed, not before', async () => {
    const sleep = new WakeableSleep();
    const p = sleep.for(1_000);
    jest.advanceTimersByTime(999);
    expect(await settled(p)).toBe(false);
    jest.advanceTimersByTime(1);
    expect(await settled(p)).toBe(true);
  });

  it('resolves at once when woken, and clears its timer', async () => {
    const sleep = new WakeableSleep();
    const p = sleep.for(60_000);
    sleep.wake();
    expect(await settled(p)).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not carry a wake-up given while awake into the next sleep', async () => {
    const sleep = new WakeableSleep();
    sleep.wake();
    const p = sleep.for(1_000);
    expect(await settled(p)).toBe(false);
    jest.advanceTimersByTime(1_000);
    expect(await settled(p)).toBe(true);
  });
});
