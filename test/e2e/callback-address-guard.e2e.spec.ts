import { eventually } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';

/**
 * The callback address guard (SSRF) end to end: literal refused addresses are
 * a 400 at define time with nothing written; a name resolving to a refused
 * address fails its attempts with the policy's error and sends nothing.
 * `localhost` is the real local DNS name here: the guard resolves it itself.
 */
describe('callback address guard (all-in-one, SQLite, real HTTP receiver)', () => {
  let receiver: CallbackReceiver;
  const port = () => new URL(receiver.url).port;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  /** One Herald per configuration, for the tests inside `body`. */
  function withHerald(env: Record<string, string>, body: (herald: () => RunningHerald) => void) {
    let herald: RunningHerald;
    beforeAll(async () => {
      herald = await startHerald({ RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '100', ...env });
    });
    afterAll(async () => {
      await herald.close();
      removeDataDir(herald.dataDir);
    });
    body(() => herald);
  }

  const define = (herald: RunningHerald, body: Record<string, unknown>) => call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: body });
  const createSchedule = (herald: RunningHerald, address: string) =>
    call(`${herald.url}/api/v1/schedules`, { method: 'POST', json: { cron: '0 9 * * *', target: { reminder: { address } } } });
  const settled = (herald: RunningHerald, id: string, status: string) =>
    eventually(
      () => call(`${herald.url}/api/v1/reminders/${id}`),
      (r) => r.status === 200 && r.body.status === status,
      { what: `reminder ${id} ${status}` },
    );
  const history = async (herald: RunningHerald, id: string) =>
    (await call(`${herald.url}/api/v1/reminders/${id}/events`)).body as { type: string; data: Record<string, unknown> }[];

  describe('default configuration', () => {
    withHerald({}, (herald) => {
      it.each([
        ['http://169.254.169.254/x', /address: callback address refused by the always-refused link-local networks: 169\.254\.169\.254/],
        ['http://[::ffff:169.254.169.254]/', /address: callback address refused by the always-refused link-local networks: ::ffff:a9fe:a9fe/],
      ])('refuses a reminder to %s with 400 naming the policy, and writes nothing', async (address, message) => {
        const response = await define(herald(), { seconds: 0, address });
        expect(response.status).toBe(400);
        expect(JSON.stringify(response.body.message)).toMatch(message);
        expect(herald().eventCount()).toBe(0);
        expect((await call(`${herald().url}/api/v1/reminders`)).body.items).toEqual([]);
      });

      it('refuses a schedule whose reminder target calls the metadata address, and writes nothing', async () => {
        const response = await createSchedule(herald(), 'http://169.254.169.254/latest/meta-data');
        expect(response.status).toBe(400);
        expect(JSON.stringify(response.body.message)).toMatch(
          /target\.reminder: address: callback address refused by the always-refused link-local networks/,
        );
        expect(herald().eventCount()).toBe(0);
      });

      it('delivers loopback callbacks, by address and by name: private networks are allowed by default', async () => {
        const byAddress = await define(herald(), { seconds: 0, address: `${receiver.url}/default-literal` });
        const byName = await define(herald(), { seconds: 0, address: `http://localhost:${port()}/default-name` });
        for (const { body } of [byAddress, byName]) {
          await eventually(
            () => receiver.for(body.id),
            (c) => c.length === 1,
            { what: `the callback of ${body.id}` },
          );
          await settled(herald(), body.id, 'Completed');
        }
      });
    });
  });

  describe('CALLBACK_DENY_NETWORKS=127.0.0.0/8,::1/128', () => {
    withHerald({ CALLBACK_DENY_NETWORKS: '127.0.0.0/8,::1/128' }, (herald) => {
      it('fails the attempts of a reminder to a name resolving to loopback with the policy’s error, sending nothing', async () => {
        const { status, body } = await define(herald(), { seconds: 0, address: `http://localhost:${port()}/denied-name`, maxAttempts: 2 });
        expect(status).toBe(201);
        const failed = await settled(herald(), body.id, 'Failed');
        const refusal = /^callback address refused by CALLBACK_DENY_NETWORKS: localhost resolved to (127\.0\.0\.1|::1)$/;
        expect(failed.body).toMatchObject({ attempts: 2, lastStatusCode: null, lastError: expect.stringMatching(refusal) });
        const events = await history(herald(), body.id);
        expect(events.map((e) => e.type)).toEqual(['ReminderDefined', 'CallbackAttemptFailed', 'CallbackAttemptFailed', 'ReminderFailed']);
        for (const attempt of events.filter((e) => e.type === 'CallbackAttemptFailed')) {
          expect(attempt.data).toMatchObject({ statusCode: null, error: expect.stringMatching(refusal) });
        }
        expect(receiver.received.filter((c) => c.path === '/denied-name')).toEqual([]);
      });

      it('refuses a literal 127.0.0.1 with 400 at define time, naming the policy and the exception knob, and writes nothing', async () => {
        const before = herald().eventCount();
        const response = await define(herald(), { seconds: 0, address: `http://127.0.0.1:${port()}/denied-literal` });
        expect(response.status).toBe(400);
        expect(JSON.stringify(response.body.message)).toMatch(
          /address: callback address refused by CALLBACK_DENY_NETWORKS: 127\.0\.0\.1 .*CALLBACK_ALLOW_NETWORKS/,
        );
        const schedule = await createSchedule(herald(), `http://127.0.0.1:${port()}/denied-literal`);
        expect(schedule.status).toBe(400);
        expect(JSON.stringify(schedule.body.message)).toMatch(/target\.reminder: address: callback address refused by CALLBACK_DENY_NETWORKS/);
        expect(herald().eventCount()).toBe(before);
      });
    });
  });

  describe('CALLBACK_DENY_NETWORKS=127.0.0.0/8,::1/128 with CALLBACK_ALLOW_NETWORKS=127.0.0.1/32', () => {
    withHerald({ CALLBACK_DENY_NETWORKS: '127.0.0.0/8,::1/128', CALLBACK_ALLOW_NETWORKS: '127.0.0.1/32' }, (herald) => {
      it('delivers the callback to the excepted 127.0.0.1', async () => {
        const { status, body } = await define(herald(), { seconds: 0, address: `${receiver.url}/allowed`, maxAttempts: 1 });
        expect(status).toBe(201);
        const [callback] = await eventually(
          () => receiver.for(body.id),
          (c) => c.length === 1,
          { what: 'the allowed callback' },
        );
        expect(callback.path).toBe('/allowed');
        await settled(herald(), body.id, 'Completed');
      });
    });
  });
});
