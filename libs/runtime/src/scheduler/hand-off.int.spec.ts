import { systemClock } from '@herald/kernel';
import { HeraldConfig, loadConfig, openSqlite } from '@herald/platform';
import { DelayedDelivery, DueEntry, SqliteTimeIndex } from '@herald/scheduling';
import { eventually } from '@herald/testing';
import { HandOff } from './hand-off';

/** A transport that records what it was given; `failNext` makes the next schedule() reject. */
class RecordingDelivery implements DelayedDelivery {
  readonly scheduled: DueEntry[] = [];
  failNext = 0;
  constructor(
    readonly durable: boolean,
    readonly releaseLeadMs: number | null,
  ) {}
  async schedule(entries: readonly DueEntry[]): Promise<void> {
    if (this.failNext > 0 && this.failNext--) throw new Error('broker unavailable');
    this.scheduled.push(...entries);
  }
  async consume(): Promise<void> {}
  async close(): Promise<void> {}
}

const entry = (key: string, inMs: number, topic = 'callbacks'): DueEntry => ({ topic, key, sequence: 1, dueAt: Date.now() + inMs });

describe('HandOff (time index → transport)', () => {
  const config: HeraldConfig = loadConfig({ SCHEDULER_HORIZON_MS: '60000', SCHEDULER_CLAIM_TTL_MS: '4000' });
  let index: SqliteTimeIndex;
  let handOffs: HandOff[];
  const start = async (delivery: RecordingDelivery) => {
    const handOff = new HandOff(index, delivery, systemClock, config);
    handOffs.push(handOff);
    await handOff.onModuleInit();
    await handOff.onApplicationBootstrap();
    return handOff;
  };
  beforeEach(() => {
    index = new SqliteTimeIndex(openSqlite(':memory:'));
    handOffs = [];
  });
  afterEach(() => handOffs.forEach((h) => h.onModuleDestroy()));

  it('hands over what falls due within the horizon, of every topic, and keeps the rest in the index', async () => {
    const near = [entry('a', 1_000), entry('b', 2_000, 'task-leases')];
    await index.apply({ put: [...near, entry('far', 3_600_000)], remove: [] });
    const delivery = new RecordingDelivery(false, null);
    await start(delivery);
    expect(delivery.scheduled.map((e) => e.key).sort()).toEqual(['a', 'b']);
    expect(await index.size()).toBe(3);
  });

  it('hands over again on start what a transport that keeps nothing had been given before', async () => {
    await index.apply({ put: [entry('a', 1_000)], remove: [] });
    await start(new RecordingDelivery(false, null));
    handOffs.pop()!.onModuleDestroy();
    const restarted = new RecordingDelivery(false, null);
    await start(restarted);
    expect(restarted.scheduled.map((e) => e.key)).toEqual(['a']);
  });

  it('does not hand over again what a durable transport already holds', async () => {
    await index.apply({ put: [entry('a', 1_000)], remove: [] });
    await start(new RecordingDelivery(true, null));
    handOffs.pop()!.onModuleDestroy();
    const restarted = new RecordingDelivery(true, null);
    await start(restarted);
    expect(restarted.scheduled).toEqual([]);
  });

  it('with a release lead, holds a claimed entry until that long before it falls due', async () => {
    const delivery = new RecordingDelivery(true, 300);
    await start(delivery);
    const e = entry('held', 1_000);
    await index.apply({ put: [e], remove: [] });
    handOffs[0].nudge([e]);
    const [released] = await eventually(
      () => delivery.scheduled,
      (s) => s.length === 1,
      { what: 'the release' },
    );
    const releasedAt = Date.now();
    expect(released).toEqual(e);
    expect(releasedAt).toBeGreaterThanOrEqual(e.dueAt - 300 - 5); // timers may fire a few ms early
  });

  it('keeps a held entry when the transport refuses it, and releases it on a later try', async () => {
    const delivery = new RecordingDelivery(true, 300);
    await start(delivery);
    const e = entry('retry', 400);
    delivery.failNext = 1;
    await index.apply({ put: [e], remove: [] });
    handOffs[0].nudge([e]);
    await eventually(
      () => delivery.scheduled,
      (s) => s.length === 1,
      { what: 'the release after a failure', timeoutMs: 5_000 },
    );
    expect(delivery.failNext).toBe(0);
  });

  it('starts a run at once when nudged about a near entry, and only counts entries within the window as near', async () => {
    const delivery = new RecordingDelivery(false, null);
    const handOff = await start(delivery);
    const far = entry('far', 3_600_000);
    await index.apply({ put: [far], remove: [] });
    expect(handOff.isWithinWindow(far.dueAt)).toBe(false);
    const near = entry('near', 10);
    await index.apply({ put: [near], remove: [] });
    handOff.nudge([near]);
    await eventually(
      () => delivery.scheduled,
      (s) => s.length === 1,
    );
    expect(delivery.scheduled.map((e) => e.key)).toEqual(['near']);
  });

  it('takes back stale hand-offs on its periodic runs only: a nudged run hands over the new entry and looks no further', async () => {
    let now = Date.now();
    const clock = { now: () => new Date(now) };
    const delivery = new RecordingDelivery(true, null);
    const handOff = new HandOff(index, delivery, clock, config);
    handOffs.push(handOff);
    const lost = { topic: 'callbacks', key: 'lost', sequence: 1, dueAt: now + 1_000 };
    await index.apply({ put: [lost], remove: [] });
    await handOff.onModuleInit();
    await handOff.onApplicationBootstrap();
    expect(delivery.scheduled.map((e) => e.key)).toEqual(['lost']);
    now += config.SCHEDULER_STALE_HANDOFF_MS + 1; // its message never arrived: the hand-off is stale
    const fresh = { topic: 'callbacks', key: 'fresh', sequence: 1, dueAt: now + 10 };
    await index.apply({ put: [fresh], remove: [] });
    handOff.nudge([fresh]);
    await eventually(
      () => delivery.scheduled.length,
      (n) => n === 2,
    );
    await handOff.run(); // settles the nudged run
    expect(delivery.scheduled.map((e) => e.key)).toEqual(['lost', 'fresh']);
    await handOff.run(true);
    expect(delivery.scheduled.map((e) => e.key)).toEqual(['lost', 'fresh', 'lost']);
  });
});
