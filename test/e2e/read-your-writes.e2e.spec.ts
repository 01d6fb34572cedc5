import { randomUUID } from 'node:crypto';
import { ProjectionHost } from '@herald/runtime';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';

/**
 * A client reads what it has just created, whatever the read model's lag:
 * here the projections are stopped outright, so every GET by id below can
 * only be answered from the log, while the lists (read model only) stay empty.
 */
describe('reads right after writes (all-in-one over SQLite, read models stopped)', () => {
  let herald: RunningHerald;
  const post = (path: string, json: unknown) => call(`${herald.url}${path}`, { method: 'POST', json });
  const get = (path: string) => call(`${herald.url}${path}`);

  beforeAll(async () => {
    herald = await startHerald();
    await herald.app.get(ProjectionHost).onModuleDestroy();
  });
  afterAll(async () => {
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  const resources = [
    { path: '/api/v1/reminders', body: { address: 'http://127.0.0.1:9/hook', hours: 1, payload: { n: 1 } }, status: 201 },
    { path: '/api/v1/tasks', body: { type: 'e2e.read-your-writes', params: { n: 1 } }, status: 202 },
    { path: '/api/v1/schedules', body: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin', target: { task: { type: 'e2e.nightly' } } }, status: 201 },
    { path: '/api/v1/notifications', body: { channel: 'e2e', message: 'hello' }, status: 201 },
  ];

  it.each(resources)('GET $path/:id answers what the POST created, before its read model has it', async ({ path, body, status }) => {
    const created = await post(path, body);
    expect(created.status).toBe(status);
    const read = await get(`${path}/${created.body.id}`);
    expect(read.status).toBe(200);
    // All the POST answered (a reminder's answer is a summary), but its countdown, which has moved on since.
    const { timeLeft: _moved, ...answered } = created.body as Record<string, unknown>;
    expect(read.body).toMatchObject(answered);
    // The read model has not seen it: the answer above came from the log.
    expect((await get(path)).body.items).toEqual([]);
  });

  it('answers a task status poll from the log too', async () => {
    const created = await post('/api/v1/tasks', { type: 'e2e.polled' });
    const poll = await get(`/api/v1/tasks/${created.body.id}/status`);
    expect(poll.status).toBe(200);
    expect(poll.body).toMatchObject({ id: created.body.id, status: 'Queued' });
    expect(poll.headers.get('retry-after')).toBe('1');
  });

  it('still answers 404 for an id nothing was created with', async () => {
    for (const { path } of resources) expect((await get(`${path}/${randomUUID()}`)).status).toBe(404);
  });
});
