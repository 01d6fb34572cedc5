import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from '@herald/testing';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';
import { CallbackReceiver } from '../support/receiver';
import { RawWorker } from '../support/raw-worker';
import { browserAvailable, ensureDashboardBuilt, launchChromium, pageErrorsOf } from '../support/browser';

/**
 * The web dashboard (`/dashboard/`, apps/dashboard) in Debian's Chromium, driven by playwright-core
 * against the all-in-one in this process: live tables, actions and their refusals, the forms,
 * detail views and timelines, API keys. Waits are Playwright's auto-waiting locators and
 * `eventually()` polls, each with a deadline; never a fixed sleep.
 *
 * Every view is saved to test-results/dashboard/<view>.png. docs/dashboard.png (the README's) is
 * written when it is missing or with UPDATE_DOCS_SCREENSHOT=1, so a test run does not churn it.
 */

const ROOT = resolve(__dirname, '../..');
const SHOTS = join(ROOT, 'test-results', 'dashboard');
const VIEWPORT = { width: 1280, height: 800 };
/** Deadline of one wait on the page. */
const WAIT_MS = 10_000;

const run = browserAvailable('dashboard') ? describe : describe.skip;

/** The built page is served statically: build it first if it is missing or older than its sources. */
beforeAll(() => ensureDashboardBuilt(), 120_000);

describe('GET /dashboard', () => {
  let herald: RunningHerald;
  const KEY = 'dashboard-serving-0123456789abcdef';

  beforeAll(async () => {
    herald = await startHerald({ HERALD_API_KEYS: JSON.stringify([{ id: 'ops', key: KEY, scopes: ['admin'] }]) });
  });

  afterAll(async () => {
    await herald?.close();
    if (herald) removeDataDir(herald.dataDir);
  });

  it('redirects /dashboard to /dashboard/ and serves the page and its assets without a key, the API still behind one', async () => {
    const redirect = await fetch(`${herald.url}/dashboard`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/dashboard/']);
    const page = await fetch(`${herald.url}/dashboard/`);
    expect([page.status, page.headers.get('content-type'), page.headers.get('cache-control')]).toEqual([200, 'text/html; charset=utf-8', 'no-cache']);
    const html = await page.text();
    const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${herald.url}${script}`);
    expect([asset.status, asset.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
    expect((await call(`${herald.url}/dashboard/missing.js`)).status).toBe(404);
    expect((await call(`${herald.url}/dashboardx`)).status).toBe(401);
    expect((await call(`${herald.url}/api/v1/reminders`)).status).toBe(401);
  });
});

run('the dashboard in Chromium', () => {
  let herald: RunningHerald;
  let receiver: CallbackReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const api = (path: string, init: Parameters<typeof call>[1] = {}) => call(`${herald.url}${path}`, init);
  const open = async (hash: string) => {
    await page.goto(`${herald.url}/dashboard/#/${hash}`);
    // The feed is open (its answer arrived): anything from now on reaches the page.
    await page.locator('[data-feed="live"]').waitFor({ timeout: WAIT_MS });
  };
  const row = (id: string) => page.locator(`tr[data-id="${id}"]`);
  /** Waits until the item's row shows `status` (as text). */
  const rowStatus = (id: string, status: string) =>
    row(id)
      .locator('.status', { hasText: new RegExp(`^${status}$`) })
      .waitFor({ timeout: WAIT_MS });
  const shot = async (view: string) => {
    await page.screenshot({ path: join(SHOTS, `${view}.png`) });
  };
  /** A mark only this page load has: a reload would lose it. */
  const markPage = () => page.evaluate(() => ((globalThis as unknown as { heraldMark: number }).heraldMark = 42));
  const pageNotReloaded = async () => expect(await page.evaluate(() => (globalThis as unknown as { heraldMark?: number }).heraldMark)).toBe(42);

  const defineReminder = async (body: Record<string, unknown>) => {
    const r = await api('/api/v1/reminders', { method: 'POST', json: { address: `${receiver.url}/ok`, ...body } });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const enqueue = async (body: Record<string, unknown>) => {
    const r = await api('/api/v1/tasks', { method: 'POST', json: body });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };
  const statusOf = async (kind: 'reminders' | 'tasks' | 'schedules', id: string) => (await api(`/api/v1/${kind}/${id}`)).body?.status as string;
  /** A task of `type` that failed for good: leased and reported failed over the raw worker protocol. */
  const failedTask = async (type: string) => {
    const id = await enqueue({ type });
    const worker = new RawWorker(herald.url, 'dashboard-failing-worker');
    const lease = await worker.leaseOne(type);
    expect(lease.taskId).toBe(id);
    expect((await worker.report(lease.token, 'fail', { error: 'disk full', retryable: false })).status).toBe(200);
    return id;
  };
  /** Waits until the detail view shows the item as `status` (its actions are shown from then on). */
  const detailStatus = (status: string) => page.locator('.detail h1 .status', { hasText: new RegExp(`^${status}$`) }).waitFor({ timeout: WAIT_MS });
  /**
   * Clicks a detail view's action the API refuses, and waits until its message shows beside the
   * buttons as the page writes it, `<status>: <message>`: the message the API answers to the same
   * call made directly (`refused`, run first: a refusal changes nothing, so both get the same answer).
   */
  const refusalShown = async (button: string, refused: () => ReturnType<typeof api>, status: number) => {
    const answer = await refused();
    expect(answer.status).toBe(status);
    const message = Array.isArray(answer.body.message) ? answer.body.message.join('; ') : answer.body.message;
    expect(typeof message).toBe('string');
    const expected = `${status}: ${message}`;
    await page.locator('.detail-actions').getByRole('button', { name: button, exact: true }).click();
    const alert = page.locator('.detail-actions').getByRole('alert').filter({ hasText: expected });
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.textContent()).toBe(expected);
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    receiver = await new CallbackReceiver().start();
    receiver.on('/ok', (_callback, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    herald = await startHerald();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await herald?.close();
    await receiver?.stop();
    if (herald) removeDataDir(herald.dataDir);
  });

  /** What the page reported as errors: its exceptions, and console errors but the browser's note of each refused call. */
  let pageErrors: string[];

  beforeEach(async () => {
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    pageErrors = pageErrorsOf(page);
  });

  afterEach(async () => {
    await context.close();
    // No script error, no Content-Security-Policy violation.
    expect(pageErrors).toEqual([]);
  });

  it('shows a reminder defined through the API, then Completed, without a reload', async () => {
    await open('reminders');
    await markPage();
    // Due in an hour, so Active is seen whatever the clock does; then moved to now through the API.
    const id = await defineReminder({ seconds: 3600, payload: { from: 'api' } });
    await rowStatus(id, 'Active');
    expect((await api(`/api/v1/reminders/${id}/reschedule`, { method: 'POST', json: { seconds: 0 } })).status).toBe(200);
    await rowStatus(id, 'Completed');
    await pageNotReloaded();
    expect(receiver.for(id)).toHaveLength(1);
    expect(await row(id).getAttribute('data-id')).toBe(id);
    await shot('reminders');
  });

  it('cancels a task from its row', async () => {
    const id = await enqueue({ type: 'dashboard.cancel-me', params: { n: 1 } });
    await open('tasks');
    await rowStatus(id, 'Queued');
    await row(id).getByRole('button', { name: 'Cancel' }).click();
    await rowStatus(id, 'Cancelled');
    expect(await statusOf('tasks', id)).toBe('Cancelled');
    await shot('tasks');
  });

  it("shows the API's message when it refuses an action: cancelling a completed reminder is a 409", async () => {
    const id = await defineReminder({ seconds: 0 });
    await eventually(
      () => statusOf('reminders', id),
      (s) => s === 'Completed',
      { what: 'the reminder to complete' },
    );
    await open(`reminders/${id}`);
    await page.locator('.detail .status', { hasText: 'Completed' }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('button', { name: 'Cancel' }).click();
    const refusal = await api(`/api/v1/reminders/${id}`, { method: 'DELETE' });
    expect(refusal.status).toBe(409);
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.textContent()).toBe(`409: ${refusal.body.message}`);
    await shot('refusal');
  });

  it("defines a reminder and enqueues a task from the page's forms, and shows a form's refusal", async () => {
    await open('reminders');
    await page.getByText('Define a reminder', { exact: true }).first().click();
    const reminderForm = page.getByRole('form', { name: 'Define a reminder' });
    await reminderForm.getByLabel('Callback address').fill(`${receiver.url}/ok`);
    await reminderForm.getByLabel('In seconds').fill('1');
    await reminderForm.getByLabel('Payload (JSON)').fill('{"from": "the form"}');
    await reminderForm.getByRole('button', { name: 'Define a reminder' }).click();
    const created = reminderForm.getByRole('status');
    await created.waitFor({ timeout: WAIT_MS });
    const reminderId = decodeURIComponent((await created.getByRole('link').getAttribute('href'))!.split('/').pop()!);
    await rowStatus(reminderId, 'Completed');
    expect(receiver.for(reminderId).map((c) => c.body.payload)).toEqual([{ from: 'the form' }]);
    await shot('reminder-form');

    await open('tasks');
    await page.getByText('Enqueue a task', { exact: true }).first().click();
    const taskForm = page.getByRole('form', { name: 'Enqueue a task' });
    await taskForm.getByLabel('Task type').fill('bad type!');
    await taskForm.getByRole('button', { name: 'Enqueue a task' }).click();
    const refusal = taskForm.getByRole('alert');
    await refusal.waitFor({ timeout: WAIT_MS });
    expect(await refusal.textContent()).toMatch(/^400: .*type/);

    await taskForm.getByLabel('Task type').fill('dashboard.from-form');
    await taskForm.getByLabel('Params (JSON)').fill('{"pages": 3}');
    await taskForm.getByLabel('Tags (comma list)').fill('ui, e2e');
    await taskForm.getByLabel('Priority (0–9)').fill('7');
    await taskForm.getByRole('button', { name: 'Enqueue a task' }).click();
    await taskForm.getByRole('status').waitFor({ timeout: WAIT_MS });
    expect(await taskForm.getByRole('alert').count()).toBe(0);
    const taskId = decodeURIComponent((await taskForm.getByRole('status').getByRole('link').getAttribute('href'))!.split('/').pop()!);
    await rowStatus(taskId, 'Queued');
    expect((await api(`/api/v1/tasks/${taskId}`)).body).toMatchObject({
      type: 'dashboard.from-form',
      params: { pages: 3 },
      tags: ['ui', 'e2e'],
      priority: 7,
    });
  });

  it('filters and pages a list by the list endpoint', async () => {
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(await enqueue({ type: 'dashboard.paged', owner: 'pager' }));
    await enqueue({ type: 'dashboard.other', owner: 'pager' });
    await open('tasks?type=dashboard.paged&limit=10');
    await row(ids[11]).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('tbody tr[data-id]').count()).toBe(10);
    await page.getByRole('button', { name: 'Next' }).click();
    await row(ids[0]).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('tbody tr[data-id]').count()).toBe(2);
    // A choice applies at once: none of them is Paused.
    await page.getByRole('checkbox', { name: 'Paused' }).check();
    await page.locator('tr.placeholder', { hasText: 'No tasks' }).waitFor({ timeout: WAIT_MS });
    expect(page.url()).toContain('status=Paused');
  });

  it('keeps the first page to its size when items arrive live, and pages on to the rest', async () => {
    await open('tasks?type=dashboard.live-paged&limit=10');
    await page.locator('tr.placeholder', { hasText: 'No tasks' }).waitFor({ timeout: WAIT_MS });
    await markPage();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await enqueue({ type: 'dashboard.live-paged' }));
    const shown = () => page.locator('tbody tr[data-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')).sort());
    await eventually(shown, (rows) => JSON.stringify(rows) === JSON.stringify(ids.slice(2).sort()), { what: 'the 10 newest tasks, only' });
    await pageNotReloaded();
    // There are more: Next reads them, though the page read at first had no next cursor.
    await page.getByRole('button', { name: 'Next' }).click();
    await eventually(shown, (rows) => JSON.stringify(rows) === JSON.stringify(ids.slice(0, 2).sort()), { what: 'the 2 oldest on the next page' });
  });

  it("shows a task's progress and its event timeline, live", async () => {
    const id = await enqueue({ type: 'dashboard.timeline', params: { pages: 10 } });
    await open(`tasks/${id}`);
    await page.locator('.timeline li[data-type="TaskEnqueued"]').waitFor({ timeout: WAIT_MS });
    await markPage();
    const worker = new RawWorker(herald.url, 'dashboard-worker');
    const lease = await worker.leaseOne('dashboard.timeline');
    expect((await worker.report(lease.token, 'heartbeat', { progress: { percent: 40 }, checkpoint: { page: 4 } })).status).toBe(200);
    await page.locator('.detail .progress', { hasText: '40 %' }).waitFor({ timeout: WAIT_MS });
    await page.locator('.detail .status', { hasText: 'Running' }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.detail .status', { hasText: 'Pausing' }).waitFor({ timeout: WAIT_MS });
    expect((await worker.report(lease.token, 'release', { checkpoint: { page: 4 } })).status).toBe(200);
    await page.locator('.detail .status', { hasText: /^Paused$/ }).waitFor({ timeout: WAIT_MS });
    const events = (await api(`/api/v1/tasks/${id}/events`)).body as { type: string }[];
    await eventually(
      () => page.locator('.timeline li').evaluateAll((items) => items.map((li) => li.getAttribute('data-type'))),
      (types) => JSON.stringify(types) === JSON.stringify(events.map((e) => e.type)),
      { what: 'the timeline to show the task history', timeoutMs: WAIT_MS, intervalMs: 50 },
    );
    expect(events.map((e) => e.type)).toEqual([
      'TaskEnqueued',
      'TaskLeased',
      'TaskHeartbeatRecorded',
      'TaskPauseRequested',
      'TaskReleased',
      'TaskPaused',
    ]);
    await pageNotReloaded();
    await shot('task-detail');
  });

  it("shows a schedule's next runs; pauses, resumes and triggers it", async () => {
    const created = await api('/api/v1/schedules', {
      method: 'POST',
      json: { cron: '0 9 * * *', timeZone: 'Europe/Berlin', target: { reminder: { address: `${receiver.url}/ok`, payload: { from: 'schedule' } } } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const preview = (await api(`/api/v1/schedules/${id}/preview?count=5`)).body.occurrences as string[];
    await open(`schedules/${id}`);
    const nextRuns = () => page.locator('.next-runs time').evaluateAll((times) => times.map((t) => t.getAttribute('datetime')));
    await eventually(nextRuns, (runs) => JSON.stringify(runs) === JSON.stringify(preview), {
      what: 'the next runs',
      timeoutMs: WAIT_MS,
      intervalMs: 50,
    });
    await shot('schedule-detail');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.detail h1 .status', { hasText: 'Paused' }).waitFor({ timeout: WAIT_MS });
    expect(await statusOf('schedules', id)).toBe('Paused');
    await page.getByText('Paused: these run only if it is resumed before them.').waitFor({ timeout: WAIT_MS });

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('.detail h1 .status', { hasText: 'Active' }).waitFor({ timeout: WAIT_MS });
    expect(await statusOf('schedules', id)).toBe('Active');

    await page.getByRole('button', { name: 'Trigger now' }).click();
    await page.locator('.runs td', { hasText: '(manual)' }).waitFor({ timeout: WAIT_MS });
    const runs = (await api(`/api/v1/schedules/${id}/runs`)).body.items as { manual: boolean; reminderId?: string }[];
    expect(runs.filter((r) => r.manual)).toHaveLength(1);
    await eventually(
      () => receiver.for(runs.find((r) => r.manual)!.reminderId!).length,
      (n) => n === 1,
      { what: 'the triggered callback' },
    );

    // Resuming an active schedule is refused: the API's message shows.
    await page.getByRole('button', { name: 'Resume' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^409: / })
      .waitFor({ timeout: WAIT_MS });

    await open('schedules');
    await rowStatus(id, 'Active');
    await shot('schedules');
  });

  it("resumes a paused task from its row; resuming a queued one shows the API's 409", async () => {
    const id = await enqueue({ type: 'dashboard.resume' });
    expect((await api(`/api/v1/tasks/${id}/pause`, { method: 'POST' })).status).toBe(202);
    await open('tasks?type=dashboard.resume');
    await rowStatus(id, 'Paused');
    await row(id).getByRole('button', { name: 'Resume' }).click();
    await rowStatus(id, 'Queued');
    expect(await statusOf('tasks', id)).toBe('Queued');
    await shot('task-resumed');

    await open(`tasks/${id}`);
    await detailStatus('Queued');
    await refusalShown('Resume', () => api(`/api/v1/tasks/${id}/resume`, { method: 'POST' }), 409);
    expect(await statusOf('tasks', id)).toBe('Queued');
    await shot('task-resume-refused');
  });

  it("retriggers a failed task from its row; retriggering a queued one shows the API's 409", async () => {
    const id = await failedTask('dashboard.retrigger');
    await open('tasks?type=dashboard.retrigger');
    await rowStatus(id, 'Failed');
    await row(id).getByRole('button', { name: 'Retrigger' }).click();
    await rowStatus(id, 'Queued');
    expect(await statusOf('tasks', id)).toBe('Queued');
    await shot('task-retriggered');

    await open(`tasks/${id}`);
    await detailStatus('Queued');
    await refusalShown('Retrigger', () => api(`/api/v1/tasks/${id}/retrigger`, { method: 'POST', json: { fromCheckpoint: true } }), 409);
    await page.locator('.timeline li[data-type="TaskRetriggered"]').waitFor({ timeout: WAIT_MS });
    await shot('task-retrigger-refused');
  });

  it("retriggers a failed reminder from its row; retriggering an active one shows the API's 409", async () => {
    // The first callback fails (one attempt: the reminder fails); the retriggered one is held until the page showed it Active.
    let calls = 0;
    let held: (() => void) | undefined;
    receiver.on('/fails-once', (_callback, res) => {
      if (++calls === 1) res.writeHead(500).end('broken');
      else held = () => res.writeHead(200).end('ok');
    });
    const id = await defineReminder({ seconds: 0, address: `${receiver.url}/fails-once`, maxAttempts: 1, timeoutMs: 60_000, owner: 'retrigger' });
    await eventually(
      () => statusOf('reminders', id),
      (s) => s === 'Failed',
      { what: 'the reminder to fail' },
    );
    await open('reminders?owner=retrigger');
    await rowStatus(id, 'Failed');
    await row(id).getByRole('button', { name: 'Retrigger' }).click();
    await rowStatus(id, 'Active');
    await shot('reminder-retriggered');
    await eventually(() => held, Boolean, { what: 'the retriggered callback' });
    held!();
    await rowStatus(id, 'Completed');
    expect(receiver.for(id)).toHaveLength(2);

    const active = await defineReminder({ hours: 5 });
    await open(`reminders/${active}`);
    await detailStatus('Active');
    await refusalShown('Retrigger', () => api(`/api/v1/reminders/${active}/retrigger`, { method: 'POST' }), 409);
    expect(await statusOf('reminders', active)).toBe('Active');
    await shot('reminder-retrigger-refused');
  });

  it("reschedules an active reminder from its detail view; a bad time and a completed reminder show the API's 400 and 409", async () => {
    const id = await defineReminder({ hours: 5 });
    await open(`reminders/${id}`);
    await detailStatus('Active');
    const shownDueAt = page.locator('.detail [data-field="dueAt"] code');
    const before = await shownDueAt.textContent();
    expect(before).toBe((await api(`/api/v1/reminders/${id}`)).body.dueAt);
    const seconds = page.getByLabel('Reschedule to, in seconds from now');
    await seconds.fill('7200');
    const asked = Date.now();
    await page.getByRole('button', { name: 'Reschedule', exact: true }).click();
    await page.locator('.timeline li[data-type="ReminderRescheduled"]').waitFor({ timeout: WAIT_MS });
    const rescheduled = (await api(`/api/v1/reminders/${id}`)).body as { dueAt: string; status: string };
    await page.locator('.detail [data-field="dueAt"] code', { hasText: rescheduled.dueAt }).waitFor({ timeout: WAIT_MS });
    expect(rescheduled.status).toBe('Active');
    expect(Math.abs(Date.parse(rescheduled.dueAt) - (asked + 7_200_000))).toBeLessThan(30_000);
    expect(await page.locator('.detail-actions').getByRole('alert').count()).toBe(0);
    await shot('reminder-rescheduled');

    // Inputs the API refuses: a time in the past, and none at all (not "now").
    await seconds.fill('-5');
    await refusalShown('Reschedule', () => api(`/api/v1/reminders/${id}/reschedule`, { method: 'POST', json: { seconds: -5 } }), 400);
    await shot('reminder-reschedule-invalid');
    await seconds.fill('');
    await refusalShown('Reschedule', () => api(`/api/v1/reminders/${id}/reschedule`, { method: 'POST', json: {} }), 400);
    expect((await api(`/api/v1/reminders/${id}`)).body).toMatchObject({ status: 'Active', dueAt: rescheduled.dueAt });

    const completed = await defineReminder({ seconds: 0 });
    await eventually(
      () => statusOf('reminders', completed),
      (s) => s === 'Completed',
      { what: 'the reminder to complete' },
    );
    await open(`reminders/${completed}`);
    await detailStatus('Completed');
    await page.getByLabel('Reschedule to, in seconds from now').fill('60');
    await refusalShown('Reschedule', () => api(`/api/v1/reminders/${completed}/reschedule`, { method: 'POST', json: { seconds: 60 } }), 409);
    await shot('reminder-reschedule-refused');
  });

  it('lists notifications live, with a count of new ones on the other views', async () => {
    await open('reminders');
    const published = await api('/api/v1/notifications', {
      method: 'POST',
      json: { channel: 'ops', message: 'invoice run finished', data: { invoices: 1204 } },
    });
    expect(published.status).toBe(201);
    await page.locator('nav .badge', { hasText: '1' }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('link', { name: /Notifications/ }).click();
    await row(published.body.id).locator('td', { hasText: 'invoice run finished' }).waitFor({ timeout: WAIT_MS });
    const second = await api('/api/v1/notifications', { method: 'POST', json: { channel: 'ops', message: 'second one' } });
    await row(second.body.id).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('tbody tr[data-id]').first().getAttribute('data-id')).toBe(second.body.id);
    expect(await page.locator('nav .badge').count()).toBe(0);
    await shot('notifications');
  });
});

run('the dashboard with API keys', () => {
  const KEY = 'dashboard-ops-0123456789abcdef0123';
  let herald: RunningHerald;
  let browser: Browser;

  beforeAll(async () => {
    herald = await startHerald({ HERALD_API_KEYS: JSON.stringify([{ id: 'ops', key: KEY, scopes: ['admin'] }]) });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await herald?.close();
    if (herald) removeDataDir(herald.dataDir);
  });

  it('asks for a key on a 401, then works with it', async () => {
    const created = await call(`${herald.url}/api/v1/tasks`, {
      method: 'POST',
      json: { type: 'dashboard.keyed' },
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(created.status).toBe(202);
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const page = await context.newPage();
      await page.goto(`${herald.url}/dashboard/#/tasks`);
      const dialog = page.getByRole('dialog');
      await dialog.getByText('send an API key').waitFor({ timeout: WAIT_MS });
      await page.screenshot({ path: join(SHOTS, 'key-dialog.png') });
      await dialog.getByLabel('Key').fill('not-the-key-0123456789');
      await dialog.getByRole('button', { name: 'Use this key' }).click();
      await dialog.getByText('the API key is not one Herald knows').waitFor({ timeout: WAIT_MS });
      await dialog.getByLabel('Key').fill(KEY);
      await dialog.getByRole('button', { name: 'Use this key' }).click();
      await page.locator(`tr[data-id="${created.body.id}"] .status`, { hasText: 'Queued' }).waitFor({ timeout: WAIT_MS });
      await page.locator('[data-feed="live"]').waitFor({ timeout: WAIT_MS });
      expect(await dialog.count()).toBe(0);
      // Live with the key too, and kept for this tab: a reload does not ask again.
      const second = await call(`${herald.url}/api/v1/tasks`, {
        method: 'POST',
        json: { type: 'dashboard.keyed' },
        headers: { authorization: `Bearer ${KEY}` },
      });
      await page.locator(`tr[data-id="${second.body.id}"] .status`, { hasText: 'Queued' }).waitFor({ timeout: WAIT_MS });
      await page.reload();
      await page.locator(`tr[data-id="${second.body.id}"]`).waitFor({ timeout: WAIT_MS });
      expect(await dialog.count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

run('the README screenshot', () => {
  let herald: RunningHerald;
  let browser: Browser;

  beforeAll(async () => {
    herald = await startHerald();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await herald?.close();
    if (herald) removeDataDir(herald.dataDir);
  });

  it('shows tasks in every state of their life, with progress', async () => {
    const enqueue = async (type: string, params: Record<string, unknown>, owner: string, priority = 0) => {
      const r = await call(`${herald.url}/api/v1/tasks`, { method: 'POST', json: { type, params, owner, priority, tags: ['monthly'] } });
      expect(r.status).toBe(202);
      return r.body.id as string;
    };
    const worker = new RawWorker(herald.url, 'reports-1');
    const lease = async (type: string) => (await worker.leaseOne(type)).token;
    // Oldest first: the page lists newest first.
    await enqueue('report.export', { month: '2026-08' }, 'billing');
    expect((await worker.report(await lease('report.export'), 'complete', { result: { url: 's3://reports/2026-08.pdf' } })).status).toBe(200);
    await enqueue('invoice.send', { batch: 17 }, 'billing');
    expect((await worker.report(await lease('invoice.send'), 'fail', { error: 'SMTP 554: relay refused', retryable: false })).status).toBe(200);
    const paused = await enqueue('search.reindex', { index: 'products' }, 'catalog');
    expect((await call(`${herald.url}/api/v1/tasks/${paused}/pause`, { method: 'POST', json: { reason: 'release freeze' } })).status).toBe(202);
    const cancelled = await enqueue('report.export', { month: '2026-09', draft: true }, 'billing');
    expect((await call(`${herald.url}/api/v1/tasks/${cancelled}/cancel`, { method: 'POST' })).status).toBe(202);
    await enqueue('image.thumbnail', { image: 'hero.jpg' }, 'web');
    expect((await worker.report(await lease('image.thumbnail'), 'heartbeat', { progress: { percent: 72 } })).status).toBe(200);
    await enqueue('report.export', { month: '2026-10', pages: 40 }, 'billing', 5);
    expect((await worker.report(await lease('report.export'), 'heartbeat', { progress: { percent: 35 } })).status).toBe(200);
    await enqueue('email.digest', { audience: 'weekly' }, 'web', 2);
    await enqueue('sync.accounts', { full: false }, 'crm', 1);

    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const page = await context.newPage();
      await page.goto(`${herald.url}/dashboard/#/tasks`);
      await page.locator('[data-feed="live"]').waitFor({ timeout: WAIT_MS });
      await page.locator('tbody tr[data-id]').nth(7).waitFor({ timeout: WAIT_MS });
      await page.locator('.progress', { hasText: '35 %' }).waitFor({ timeout: WAIT_MS });
      await page.screenshot({ path: join(SHOTS, 'overview.png') });
      const docs = join(ROOT, 'docs', 'dashboard.png');
      if (!existsSync(docs) || process.env.UPDATE_DOCS_SCREENSHOT === '1') await page.screenshot({ path: docs });
    } finally {
      await context.close();
    }
  });
});
