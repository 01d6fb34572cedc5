import { spawnSync } from 'node:child_process';
import { RABBITMQ_TEST_URL, eventually, serverAvailable } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import {
  Replicas,
  countByStatus,
  defineMany,
  explainingFailure,
  startReplicas,
  stopReplicas,
  terminalEventsPerReminder,
  waitAllCompleted,
} from '../support/full-stack';

const run = serverAvailable('RabbitMQ', RABBITMQ_TEST_URL);
const COUNT = 2_000;

/**
 * Separate services with replicas survive crashes: every reminder reaches
 * exactly one terminal event, every receiver call repeats at most with the
 * same Idempotency-Key, and nothing stays Active past its due time.
 */
(run ? describe : describe.skip)('full stack: separate services, two replicas each, real RabbitMQ', () => {
  let receiver: CallbackReceiver;
  let replicas: Replicas | null = null;

  beforeEach(async () => {
    receiver = await new CallbackReceiver().start();
    // Every tenth receiver path fails each reminder's first attempt, so retries cross the broker too.
    const failedOnce = new Set<string>();
    for (let p = 0; p < 10; p++) {
      receiver.on(`/hook/${p}`, (c, res) => {
        if (p === 0 && !failedOnce.has(c.body.reminderId)) {
          failedOnce.add(c.body.reminderId);
          return res.writeHead(503).end();
        }
        res.writeHead(204).end();
      });
    }
  });
  afterEach(async () => {
    if (replicas) await stopReplicas(replicas);
    replicas = null;
    await receiver.stop();
  });

  /** A third of the callbacks have arrived: the burst is under way, most of it still to come. */
  const midBurst = () =>
    eventually(
      () => receiver.received.length,
      (n) => n >= COUNT / 3,
      { timeoutMs: 30_000, what: 'a third of the callbacks' },
    );

  function assertDeliveredOnceInEffect(ids: string[], r: Replicas) {
    const terminal = terminalEventsPerReminder(r.dataDir);
    expect(ids.filter((id) => terminal.get(id) !== 1)).toEqual([]);
    const calls = new Map<string, number>();
    for (const c of receiver.received) {
      expect(c.headers['idempotency-key']).toBe(c.body.reminderId);
      calls.set(c.body.reminderId, (calls.get(c.body.reminderId) ?? 0) + 1);
    }
    expect(ids.filter((id) => !calls.has(id))).toEqual([]);
    const late = receiver.received.filter((c) => c.at < Date.parse(c.body.dueAt));
    expect(late).toEqual([]); // never before its time
    // Every tenth reminder fails its first attempt on purpose; beyond that, a repeat is an at-least-once duplicate.
    const attempts = new Set(receiver.received.map((c) => `${c.body.reminderId}:${c.body.attempt}`));
    const lateness = receiver.received.map((c) => c.at - Date.parse(c.body.dueAt)).sort((a, b) => a - b);
    console.log(
      `${ids.length} reminders, ${receiver.received.length} callbacks, ${receiver.received.length - attempts.size} duplicate deliveries; ` +
        `lateness p50 ${lateness[Math.floor(lateness.length / 2)]} ms, max ${lateness[lateness.length - 1]} ms`,
    );
  }

  it('loses nothing and finishes each reminder once when one replica of each service is SIGKILLed mid-burst', async () => {
    replicas = await startReplicas();
    const r = replicas;
    // Due times begin after the definitions are in: lateness here measures delivery, not the define rate.
    const start = Date.now() + 10_000;
    const ids = await defineMany(r.commandApi.url, receiver, COUNT, start, 8_000);
    console.log(`defined ${COUNT} in ${Date.now() - start + 10_000} ms`);
    // Mid-way through the due times, kill one of each.
    await midBurst();
    await Promise.all([r.schedulers[0].kill(), r.workers[0].kill(), r.queryApis[0].kill()]);

    const survivor = r.queryApis[1].url;
    await explainingFailure(r, () => waitAllCompleted(survivor, COUNT, 60_000));
    expect(await countByStatus(survivor, 'Active')).toBe(0);
    assertDeliveredOnceInEffect(ids, r);
  }, 120_000);

  it('loses nothing when the broker restarts mid-burst', async () => {
    replicas = await startReplicas({ SCHEDULER_STALE_HANDOFF_MS: '10000' });
    const r = replicas;
    const start = Date.now() + 10_000;
    const ids = await defineMany(r.commandApi.url, receiver, COUNT, start, 8_000);
    await midBurst();
    try {
      expect(spawnSync('rabbitmqctl', ['stop_app']).status).toBe(0);
    } finally {
      spawnSync('rabbitmqctl', ['start_app']);
      spawnSync('rabbitmqctl', ['await_startup']);
    }
    const url = r.queryApis[0].url;
    await explainingFailure(r, () => waitAllCompleted(url, COUNT, 90_000));
    expect(await countByStatus(url, 'Active')).toBe(0);
    assertDeliveredOnceInEffect(ids, r);
  }, 150_000);
});
