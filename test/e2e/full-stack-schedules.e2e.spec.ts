import { occurrenceTargetId } from '@herald/schedules';
import { RABBITMQ_TEST_URL, eventually, serverAvailable } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { call } from '../support/herald';
import { Replicas, startReplicas, stopReplicas } from '../support/full-stack';

const run = serverAvailable('RabbitMQ', RABBITMQ_TEST_URL);
const ON_TIME_MS = 500; // generous for a loaded CI machine; the benchmark measures the real figure

/** Schedules across separate services over RabbitMQ, with two scheduler replicas: each occurrence fires once. */
(run ? describe : describe.skip)('full stack: schedules with two scheduler replicas, real RabbitMQ', () => {
  let receiver: CallbackReceiver;
  let replicas: Replicas;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    replicas = await startReplicas();
  });
  afterAll(async () => {
    await stopReplicas(replicas);
    await receiver.stop();
  });

  it('fires a six-field every-2-seconds schedule once per occurrence, on time; pause stops it and resume restarts it', async () => {
    const api = replicas.commandApi.url;
    const query = replicas.queryApis[0].url;
    const created = await call(`${api}/api/v1/schedules`, {
      method: 'POST',
      json: { cron: '*/2 * * * * *', target: { reminder: { address: `${receiver.url}/tick` } } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const got = await eventually(
      () => receiver.received.filter((c) => c.path === '/tick'),
      (c) => c.length >= 5,
      { what: 'five callbacks', timeoutMs: 20_000 },
    );
    const events = (await call(`${query}/api/v1/schedules/${id}/events`)).body as { type: string; data: Record<string, string> }[];
    const fired = events.filter((e) => e.type === 'OccurrenceFired').map((e) => e.data.scheduledFor);
    // Two scheduler replicas, each occurrence decided once.
    expect(new Set(fired).size).toBe(fired.length);
    const lateness = got.map((c) => {
      const scheduledFor = fired.find((f) => occurrenceTargetId(id, f) === c.body.reminderId);
      expect(scheduledFor).toBeDefined();
      return c.at - Date.parse(scheduledFor!);
    });
    const ids = receiver.received.filter((c) => c.path === '/tick').map((c) => c.body.reminderId);
    expect(new Set(ids).size).toBe(ids.length);
    console.log(`schedule lateness over RabbitMQ (ms): ${lateness.join(', ')}`);
    expect(Math.max(...lateness)).toBeLessThan(ON_TIME_MS);

    expect((await call(`${api}/api/v1/schedules/${id}/pause`, { method: 'POST', json: {} })).status).toBe(200);
    const pausedAt = Date.now();
    const settled = await eventually(
      async () => (await call(`${query}/api/v1/schedules/${id}`)).body,
      (s) => s.status === 'Paused',
      { what: 'the read side shows it paused' },
    );
    expect(settled.nextRunAt).toBeNull();
    expect((await call(`${api}/api/v1/schedules/${id}/resume`, { method: 'POST', json: {} })).status).toBe(200);
    await eventually(
      () => receiver.received.filter((c) => c.path === '/tick' && c.at > pausedAt + 1_000),
      (c) => c.length >= 1,
      { what: 'a callback after resuming', timeoutMs: 10_000 },
    );
    await call(`${api}/api/v1/schedules/${id}/pause`, { method: 'POST', json: {} });
  });
});
