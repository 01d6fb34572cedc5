import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RABBITMQ_TEST_URL, eventually, serverAvailable } from '@herald/testing';
import { call } from '../support/herald';
import { Replicas, explainingFailure, startReplicas, stopReplicas } from '../support/full-stack';
import { HeraldProcess, freePort } from '../support/herald-process';
import { CallbackReceiver } from '../support/receiver';
import { browserAvailable, ensureDashboardBuilt, launchChromium, pageErrorsOf } from '../support/browser';

/**
 * The dashboard and its actions on the full stack: the services as separate processes over
 * RabbitMQ (startReplicas), plus one more query API given COMMAND_API_URL, which forwards the
 * writes it is sent to the command API. Everything below goes to that query API's port only,
 * as the page does: writes come back with the command API's own answers (status, Location,
 * Retry-After, refusals), reads stay local, and with the command API stopped a write is a 503
 * (or 502) naming it. Waits are `eventually()` polls and Playwright's locators, each with a
 * deadline; never a fixed sleep.
 */

const run = serverAvailable('RabbitMQ', RABBITMQ_TEST_URL);
const withBrowser = run && browserAvailable('full-stack dashboard');
const SHOTS = join(resolve(__dirname, '../..'), 'test-results', 'dashboard');
/** Deadline of one wait on the page. */
const WAIT_MS = 15_000;

const OPS_KEY = 'fs-dashboard-ops-0123456789abcdef0123';
const VIEWER_KEY = 'fs-dashboard-viewer-0123456789abcdef';
const KEYS = [
  { id: 'ops', key: OPS_KEY, scopes: ['admin'] },
  { id: 'viewer', key: VIEWER_KEY, scopes: ['read'] },
];
const ops = { authorization: `Bearer ${OPS_KEY}` };
/** Task types the tests enqueue: their queues are deleted from the broker afterwards. */
const TASK_TYPES = ['fsd.enqueued', 'fsd.leased', 'fsd.from-form'];

(run ? describe : describe.skip)('the dashboard on the full stack: the query API forwards writes to the command API', () => {
  let r: Replicas;
  /** The query API with COMMAND_API_URL: every request of these tests goes to it. */
  let query: HeraldProcess;
  let receiver: CallbackReceiver;

  const viaQuery = (path: string, init: Parameters<typeof call>[1] = {}) =>
    call(`${query.url}${path}`, { ...init, headers: { ...ops, ...(init.headers as Record<string, string> | undefined) } });
  const readBack = (path: string, status: string) =>
    explainingFailure(r, () =>
      eventually(
        () => viaQuery(path),
        (v) => v.body?.status === status,
        { what: `${path} ${status} on the query API`, timeoutMs: 15_000, intervalMs: 50 },
      ),
    );

  beforeAll(async () => {
    ensureDashboardBuilt();
    receiver = await new CallbackReceiver().start();
    receiver.on('/ok', (_callback, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    r = await startReplicas({ HERALD_API_KEYS: JSON.stringify(KEYS) });
    // Its log at info: the start-up line naming where writes go.
    query = new HeraldProcess('query-api', {
      ...r.queryApis[0].env,
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      COMMAND_API_URL: r.commandApi.url,
    });
    // Stopped with the rest (stopReplicas stops r.all).
    r.all.push(query);
    await query.start();
  }, 120_000);

  afterAll(async () => {
    if (r) await stopReplicas(r, TASK_TYPES);
    await receiver?.stop();
  });

  it('says at start where it forwards writes', () => {
    expect(query.output.join('')).toContain(`forwarding writes to ${r.commandApi.url}`);
  });

  it("defines a reminder (201, Location) and cancels it (204) through the query API, with the command API's refusals", async () => {
    const created = await viaQuery('/api/v1/reminders', { method: 'POST', json: { seconds: 3600, address: `${receiver.url}/ok` } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/v1/reminders/${id}`);
    expect(created.body.status).toBe('Active');
    // Read on the query API's own read side: the Location is a path it serves.
    await readBack(created.headers.get('location')!, 'Active');

    const cancelled = await viaQuery(`/api/v1/reminders/${id}`, { method: 'DELETE' });
    expect([cancelled.status, cancelled.body]).toEqual([204, null]);
    await readBack(`/api/v1/reminders/${id}`, 'Cancelled');

    // A refusal is the command API's, word for word: cancelling again is a 409 naming the status.
    const again = await viaQuery(`/api/v1/reminders/${id}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual((await call(`${r.commandApi.url}/api/v1/reminders/${id}`, { method: 'DELETE', headers: ops })).body);
    expect(again.body.message).toMatch(/cancel/i);
  });

  it("answers invalid input with the command API's 400 and its message", async () => {
    const bad = { seconds: -5, address: 'not a url', unknownField: true };
    const forwarded = await viaQuery('/api/v1/reminders', { method: 'POST', json: bad });
    const direct = await call(`${r.commandApi.url}/api/v1/reminders`, { method: 'POST', json: bad, headers: ops });
    expect(forwarded.status).toBe(400);
    expect(forwarded.body).toEqual(direct.body);
    expect(forwarded.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'ValidationFailed' });
    expect(forwarded.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^seconds /), expect.stringMatching(/^address /)]));
  });

  it('refuses a write without a key (401) and one whose key lacks the write scope (403, decided by the command API)', async () => {
    const anonymous = await call(`${query.url}/api/v1/reminders`, { method: 'POST', json: { seconds: 60, address: `${receiver.url}/ok` } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(anonymous.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'Unauthenticated',
      message: 'send an API key: Authorization: Bearer <key>',
    });
    // The query API authenticates; scopes are the command API's routes' to check (its guard is the only one that knows them).
    const viewer = await call(`${query.url}/api/v1/reminders`, {
      method: 'POST',
      json: { seconds: 60, address: `${receiver.url}/ok` },
      headers: { authorization: `Bearer ${VIEWER_KEY}` },
    });
    expect(viewer.status).toBe(403);
    expect(viewer.body).toMatchObject({ statusCode: 403, code: 'MissingScope', message: 'API key viewer lacks the write scope this call needs' });
    // The same key reads through the same address.
    expect((await call(`${query.url}/api/v1/reminders`, { headers: { authorization: `Bearer ${VIEWER_KEY}` } })).status).toBe(200);
  });

  it('passes Idempotency-Key and traceparent through, and passes back the replay header', async () => {
    const body = { seconds: 0, address: `${receiver.url}/ok`, payload: { via: 'query-api' } };
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const headers = { 'idempotency-key': `fsd-${Date.now()}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
    const first = await viaQuery('/api/v1/reminders', { method: 'POST', json: body, headers });
    const second = await viaQuery('/api/v1/reminders', { method: 'POST', json: body, headers });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The callback belongs to the caller's trace: its traceparent reached the command API.
    const [callback] = await explainingFailure(r, () =>
      eventually(
        () => receiver.for(first.body.id),
        (c) => c.length === 1,
        { what: 'the callback', timeoutMs: 15_000 },
      ),
    );
    expect(String(callback.headers.traceparent)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    await readBack(`/api/v1/reminders/${first.body.id}`, 'Completed');
  });

  it('enqueues a task (202, Location, Retry-After), leases and completes it through the worker protocol, cancels another', async () => {
    const enqueued = await viaQuery('/api/v1/tasks', { method: 'POST', json: { type: 'fsd.leased', params: { n: 1 } } });
    expect(enqueued.status).toBe(202);
    const id = enqueued.body.id as string;
    expect([enqueued.headers.get('location'), enqueued.headers.get('retry-after')]).toEqual([`/api/v1/tasks/${id}`, '1']);

    const leased = await viaQuery('/api/v1/workers/leases', {
      method: 'POST',
      json: { workerId: 'fsd-worker', types: ['fsd.leased'], waitMs: 10_000 },
    });
    expect(leased.status).toBe(200);
    expect(leased.body.leases.map((l: { taskId: string }) => l.taskId)).toEqual([id]);
    const completed = await viaQuery(`/api/v1/workers/leases/${leased.body.leases[0].token}/complete`, {
      method: 'POST',
      json: { result: { ok: true } },
    });
    expect(completed.status).toBe(200);
    await readBack(`/api/v1/tasks/${id}`, 'Completed');

    const other = await viaQuery('/api/v1/tasks', { method: 'POST', json: { type: 'fsd.enqueued' } });
    const cancelled = await viaQuery(`/api/v1/tasks/${other.body.id}/cancel`, { method: 'POST' });
    expect([cancelled.status, cancelled.body.status]).toEqual([202, 'Cancelled']);
    await readBack(`/api/v1/tasks/${other.body.id}`, 'Cancelled');
  });

  it('creates, changes (PATCH) and pauses a schedule through the query API', async () => {
    const created = await viaQuery('/api/v1/schedules', {
      method: 'POST',
      json: { cron: '0 9 * * *', timeZone: 'Europe/Berlin', target: { reminder: { address: `${receiver.url}/ok` } } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/v1/schedules/${id}`);
    const patched = await viaQuery(`/api/v1/schedules/${id}`, { method: 'PATCH', json: { cron: '0 10 * * *' } });
    expect([patched.status, patched.body.cron]).toEqual([200, '0 10 * * *']);
    const paused = await viaQuery(`/api/v1/schedules/${id}/pause`, { method: 'POST', json: {} });
    expect([paused.status, paused.body.status]).toEqual([200, 'Paused']);
    await readBack(`/api/v1/schedules/${id}`, 'Paused');
  });

  it("keeps its own routes: the schedule preview (a POST) and the app's 404 for paths no one serves", async () => {
    const preview = await viaQuery('/api/v1/schedules/preview', { method: 'POST', json: { cron: '0 9 * * *', count: 2 } });
    expect(preview.status).toBe(200);
    expect(preview.body.occurrences).toHaveLength(2);
    expect(await viaQuery('/api/v1/nonsense', { method: 'POST', json: {} })).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', code: 'NotFound', message: 'Cannot POST /api/v1/nonsense' },
    });
    expect(await viaQuery('/api/v1/reminders/a/b/c')).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', code: 'NotFound', message: 'Cannot GET /api/v1/reminders/a/b/c' },
    });
  });

  (withBrowser ? describe : describe.skip)('in Chromium, from the query API’s port', () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    /** What the page reported as errors: its exceptions, and console errors but the browser's note of each refused call. */
    let pageErrors: string[];

    const row = (id: string) => page.locator(`tr[data-id="${id}"]`);
    const rowStatus = (id: string, status: string) =>
      row(id)
        .locator('.status', { hasText: new RegExp(`^${status}$`) })
        .waitFor({ timeout: WAIT_MS });
    const createdId = async (form: ReturnType<Page['getByRole']>) => {
      const created = form.getByRole('status');
      await created.waitFor({ timeout: WAIT_MS });
      return decodeURIComponent((await created.getByRole('link').getAttribute('href'))!.split('/').pop()!);
    };

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    beforeEach(async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      page = await context.newPage();
      pageErrors = pageErrorsOf(page);
    });

    afterEach(async () => {
      await context.close();
      expect(pageErrors).toEqual([]);
    });

    it('defines a reminder that turns Completed, enqueues a task, shows a refusal and cancels the task from its row', async () => {
      await page.goto(`${query.url}/dashboard/#/reminders`);
      // Keys are configured: the page's first call is refused and it asks for one.
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Key').waitFor({ timeout: WAIT_MS });
      await dialog.getByLabel('Key').fill(OPS_KEY);
      await dialog.getByRole('button', { name: 'Use this key' }).click();
      await page.locator('[data-feed="live"]').waitFor({ timeout: WAIT_MS });

      await page.getByText('Define a reminder', { exact: true }).first().click();
      const reminderForm = page.getByRole('form', { name: 'Define a reminder' });
      await reminderForm.getByLabel('Callback address').fill(`${receiver.url}/ok`);
      await reminderForm.getByLabel('In seconds').fill('1');
      await reminderForm.getByLabel('Payload (JSON)').fill('{"from": "the full-stack page"}');
      await reminderForm.getByRole('button', { name: 'Define a reminder' }).click();
      const reminderId = await createdId(reminderForm);
      await rowStatus(reminderId, 'Completed');
      expect(receiver.for(reminderId).map((c) => c.body.payload)).toEqual([{ from: 'the full-stack page' }]);

      await page.goto(`${query.url}/dashboard/#/tasks`);
      await page.locator('[data-feed="live"]').waitFor({ timeout: WAIT_MS });
      await page.getByText('Enqueue a task', { exact: true }).first().click();
      const taskForm = page.getByRole('form', { name: 'Enqueue a task' });
      // Refused by the command API: its 400 and message reach the page through the query API.
      await taskForm.getByLabel('Task type').fill('bad type!');
      await taskForm.getByRole('button', { name: 'Enqueue a task' }).click();
      const refusal = taskForm.getByRole('alert');
      await refusal.waitFor({ timeout: WAIT_MS });
      const direct = await call(`${r.commandApi.url}/api/v1/tasks`, { method: 'POST', json: { type: 'bad type!' }, headers: ops });
      expect(direct.status).toBe(400);
      expect(await refusal.textContent()).toMatch(/^400: .*type/);

      await taskForm.getByLabel('Task type').fill('fsd.from-form');
      await taskForm.getByLabel('Params (JSON)').fill('{"pages": 2}');
      await taskForm.getByRole('button', { name: 'Enqueue a task' }).click();
      const taskId = await createdId(taskForm);
      await rowStatus(taskId, 'Queued');
      await page.screenshot({ path: join(SHOTS, 'full-stack-tasks.png') });
      await row(taskId).getByRole('button', { name: 'Cancel' }).click();
      await rowStatus(taskId, 'Cancelled');
      // The row shows the command's answer at once; the read side follows within milliseconds.
      expect((await readBack(`/api/v1/tasks/${taskId}`, 'Cancelled')).body).toMatchObject({ type: 'fsd.from-form', params: { pages: 2 } });
    }, 60_000);
  });

  // Last: it stops the command API (and starts it again).
  it('answers 503 (or 502) naming the command API while it is down, still serves reads, and forwards again once it is back', async () => {
    await r.commandApi.stop();
    const body = { seconds: 60, address: `${receiver.url}/ok` };
    const down = await viaQuery('/api/v1/reminders', { method: 'POST', json: body });
    expect([502, 503]).toContain(down.status);
    expect(down.body).toMatchObject({ statusCode: down.status, code: 'CommandApiUnreachable' });
    expect(down.body.message).toContain(`the command API at ${r.commandApi.url} is unreachable`);
    if (down.status === 503) {
      expect(down.body).toMatchObject({ error: 'Service Unavailable', message: expect.stringContaining('nothing was written') });
      expect(down.headers.get('retry-after')).toBe('5');
    }
    // A large body is answered too, not cut off mid-upload.
    const large = await viaQuery('/api/v1/reminders', { method: 'POST', json: { ...body, payload: { blob: 'x'.repeat(60_000) } } });
    expect([502, 503]).toContain(large.status);
    expect(large.body.message).toContain(`the command API at ${r.commandApi.url} is unreachable`);
    // Reads and the query API's own POST do not need the command API.
    expect((await viaQuery('/api/v1/reminders?limit=1')).status).toBe(200);
    expect((await viaQuery('/api/v1/schedules/preview', { method: 'POST', json: { cron: '0 9 * * *', count: 1 } })).status).toBe(200);

    await r.commandApi.start();
    const back = await viaQuery('/api/v1/reminders', { method: 'POST', json: body });
    expect(back.status).toBe(201);
    expect(back.headers.get('location')).toBe(`/api/v1/reminders/${back.body.id}`);
  }, 60_000);
});
