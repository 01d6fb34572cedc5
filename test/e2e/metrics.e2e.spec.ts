import { ProjectionHost } from '@herald/runtime';
import { eventually } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';
import { RawWorker } from '../support/raw-worker';
import { Scrape } from '../support/prometheus';

/**
 * GET /metrics after real traffic on the all-in-one app: reminders to a real
 * receiver (one delivered, one failing with maxAttempts 1), tasks through the
 * worker protocol (one completed, one whose lease lapses), a schedule firing
 * every second, then the scrape parsed and held against what was sent.
 */
describe('metrics end to end (all-in-one, SQLite, real receiver and raw worker)', () => {
  let herald: RunningHerald;
  let receiver: CallbackReceiver;
  let worker: RawWorker;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    receiver.on('/fail', (_c, res) => res.writeHead(500).end('nope'));
    herald = await startHerald();
    worker = new RawWorker(herald.url, 'metrics-worker');
  });
  afterAll(async () => {
    await herald.close();
    await receiver.stop();
    removeDataDir(herald.dataDir);
  });

  /** GET /metrics, parsed; a non-200 throws (eventually retries it and reports it on timeout). */
  const scrape = async () => {
    const response = await fetch(`${herald.url}/metrics`);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${text}`);
    return Scrape.parse(text);
  };
  const statusOf = (kind: 'reminders' | 'tasks', id: string, status: string) =>
    eventually(
      () => call(`${herald.url}/api/v1/${kind}/${id}`),
      (r) => r.status === 200 && r.body.status === status,
      { what: `${kind} ${id} ${status}`, timeoutMs: 15_000 },
    );

  it('counts callbacks, tasks, schedule occurrences and HTTP requests exactly as the traffic was, with lag per projection and the process metrics', async () => {
    // A schedule firing every second, to a receiver path of its own.
    const schedule = await call(`${herald.url}/api/v1/schedules`, {
      method: 'POST',
      json: { cron: '* * * * * *', target: { reminder: { address: `${receiver.url}/tick` } } },
    });
    expect(schedule.status).toBe(201);

    // Two reminders: one delivered, one failing for good on its only attempt.
    const delivered = await call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: { seconds: 0.2, address: `${receiver.url}/ok` } });
    const failing = await call(`${herald.url}/api/v1/reminders`, {
      method: 'POST',
      json: { seconds: 0.2, address: `${receiver.url}/fail`, maxAttempts: 1 },
    });
    expect([delivered.status, failing.status]).toEqual([201, 201]);

    // Two tasks through the worker protocol: one completed, one left to lapse on its only attempt.
    const done = await call(`${herald.url}/api/v1/tasks`, { method: 'POST', json: { type: 'metrics.done' } });
    const lapsing = await call(`${herald.url}/api/v1/tasks`, {
      method: 'POST',
      json: { type: 'metrics.lapse', heartbeatTimeoutMs: 1_000, maxAttempts: 1 },
    });
    expect([done.status, lapsing.status]).toEqual([202, 202]);
    const lease = await worker.leaseOne('metrics.done');
    expect((await worker.report(lease.token, 'complete', { result: { ok: true } })).status).toBe(200);
    await worker.leaseOne('metrics.lapse'); // and never heard from again

    await statusOf('reminders', delivered.body.id, 'Completed');
    await statusOf('reminders', failing.body.id, 'Failed');
    await statusOf('tasks', done.body.id, 'Completed');
    await statusOf('tasks', lapsing.body.id, 'Failed');
    expect((await call(`${herald.url}/no/such/route`)).status).toBe(404);

    // Two ticks, then pause: the occurrences already decided ahead (one or two, at one a second and a 1.5 s
    // lead) are withdrawn, the others fired, so wait for every fired one's callback.
    await eventually(
      () => receiver.received.filter((c) => c.path === '/tick').length,
      (n) => n >= 2,
      { what: 'two schedule ticks', timeoutMs: 15_000 },
    );
    expect((await call(`${herald.url}/api/v1/schedules/${schedule.body.id}/pause`, { method: 'POST', json: {} })).status).toBe(200);
    const runOutcomes = async () => {
      const items = (await call(`${herald.url}/api/v1/schedules/${schedule.body.id}/runs?limit=500`)).body.items as { outcome: string }[];
      const count = (outcome: string) => items.filter((r) => r.outcome === outcome).length;
      return { fired: count('fired'), withdrawn: count('withdrawn') };
    };
    // Quiet: every fired occurrence called back, and the counters (moved after the append that records
    // each outcome) caught up with the receiver. Read together, so a late tick only means another round.
    const settled = await eventually(
      async () => {
        const { fired, withdrawn } = await runOutcomes();
        const called = receiver.received.filter((c) => c.path === '/tick').length;
        return { fired, withdrawn, called, metrics: await scrape() };
      },
      ({ fired, called, metrics: m }) =>
        fired >= 2 &&
        called === fired &&
        m.value('herald_callbacks_total', { outcome: 'delivered' }) === 1 + called &&
        m.value('herald_callbacks_total', { outcome: 'failed' }) === 1,
      { what: 'a callback for every fired occurrence, all of them in /metrics', timeoutMs: 15_000, intervalMs: 50 },
    );
    const { metrics } = settled;
    const ticks = { fired: settled.fired, withdrawn: settled.withdrawn, called: settled.called };
    const okCallbacks = 1 + ticks.called;

    const raw = await fetch(`${herald.url}/metrics`);
    expect(raw.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    await raw.text();

    // Callbacks: every POST the receiver saw, by outcome; all first attempts; one lateness and duration observation each.
    expect(receiver.received).toHaveLength(okCallbacks + 1);
    expect(metrics.value('herald_callbacks_total', { outcome: 'retrying' }) ?? 0).toBe(0);
    expect(metrics.value('herald_callbacks_total', { outcome: 'dropped' }) ?? 0).toBe(0);
    expect(metrics.value('herald_callback_attempts_total', { kind: 'first' })).toBe(okCallbacks + 1);
    expect(metrics.value('herald_callback_attempts_total', { kind: 'retry' }) ?? 0).toBe(0);
    expect(metrics.value('herald_callback_lateness_seconds_count')).toBe(okCallbacks + 1);
    expect(metrics.value('herald_callback_duration_seconds_count')).toBe(okCallbacks + 1);
    expect(metrics.value('herald_callback_lateness_seconds_bucket', { le: '60' })).toBe(okCallbacks + 1);
    // Generous for a loaded CI machine (the benchmark measures lateness): every POST started within a second of its due time.
    expect(metrics.value('herald_callback_lateness_seconds_bucket', { le: '1' })).toBe(okCallbacks + 1);

    // Tasks: each status entered once per task, the lapse counted by type.
    const tasks = (type: string) =>
      Object.fromEntries(metrics.series('herald_tasks_total', { type }).map((s) => [s.labels.status, s.value] as [string, number]));
    expect(tasks('metrics.done')).toEqual({ Queued: 1, Running: 1, Completed: 1 });
    expect(tasks('metrics.lapse')).toEqual({ Queued: 1, Running: 1, Failed: 1 });
    expect(metrics.value('herald_task_lease_lapses_total', { type: 'metrics.lapse' })).toBe(1);
    expect(metrics.value('herald_task_lease_lapses_total', { type: 'metrics.done' })).toBeUndefined();

    // Schedule occurrences: as the schedule's runs list says, a withdrawn one counted as fired when it was decided, then as withdrawn.
    expect(metrics.value('herald_schedule_occurrences_total', { outcome: 'fired' })).toBe(ticks.fired + ticks.withdrawn);
    expect(metrics.value('herald_schedule_occurrences_total', { outcome: 'withdrawn' }) ?? 0).toBe(ticks.withdrawn);
    const outcomes = metrics.series('herald_schedule_occurrences_total').map((s) => s.labels.outcome);
    expect(outcomes.sort()).toEqual(ticks.withdrawn > 0 ? ['fired', 'withdrawn'] : ['fired']);

    // HTTP: by route template and status, never by URL.
    const http = (method: string, route: string, status: string) => metrics.value('herald_http_requests_total', { method, route, status });
    expect(http('POST', '/api/v1/reminders', '201')).toBe(2);
    expect(http('POST', '/api/v1/tasks', '202')).toBe(2);
    expect(http('POST', '/api/v1/schedules', '201')).toBe(1);
    expect(http('POST', '/api/v1/schedules/:id/pause', '200')).toBe(1);
    expect(http('POST', '/api/v1/workers/leases', '200')).toBe(2);
    expect(http('POST', '/api/v1/workers/leases/:token/complete', '200')).toBe(1);
    expect(http('GET', '/api/v1/reminders/:id', '200')).toBeGreaterThanOrEqual(2);
    expect(http('GET', 'unmatched', '404')).toBe(1);
    expect(metrics.samples.some((s) => s.labels.route?.includes(delivered.body.id as string))).toBe(false);
    expect(metrics.value('herald_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/reminders' })).toBe(2);

    // Lag: one series per projection the app runs.
    const projections = herald.app
      .get(ProjectionHost)
      .all()
      .map((p) => p.name)
      .sort();
    expect(projections.length).toBeGreaterThanOrEqual(6);
    expect(
      metrics
        .series('herald_projection_lag_events')
        .map((s) => s.labels.projection)
        .sort(),
    ).toEqual(projections);

    // The default process metrics.
    for (const name of ['process_cpu_seconds_total', 'process_start_time_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(metrics.series(name)).toHaveLength(1);
    }
  });

  it('shows every projection caught up (lag 0) once the traffic has stopped, and counts its own scrapes', async () => {
    const before = (await scrape()).value('herald_http_requests_total', { method: 'GET', route: '/metrics', status: '200' }) ?? 0;
    const caughtUp = await eventually(
      scrape,
      (m) => {
        const lags = m.series('herald_projection_lag_events');
        return lags.length > 0 && lags.every((s) => s.value === 0);
      },
      { what: 'every projection at the head' },
    );
    // A scrape is counted once its response is sent: the one above at least.
    expect(caughtUp.value('herald_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(before + 1);
  });

  it('serves no /metrics with METRICS_ENABLED=false, alongside an app that does (one registry per app)', async () => {
    const quiet = await startHerald({ METRICS_ENABLED: 'false' });
    const defines = async () =>
      (await scrape()).value('herald_http_requests_total', { method: 'POST', route: '/api/v1/reminders', status: '201' }) ?? 0;
    try {
      const before = await defines();
      expect((await fetch(`${quiet.url}/metrics`)).status).toBe(404);
      expect((await call(`${quiet.url}/api/v1/reminders`, { method: 'POST', json: { seconds: 60, address: `${receiver.url}/later` } })).status).toBe(
        201,
      );
      // Each app counts into its own registry: the quiet app's request is not in this one's counts.
      expect(await defines()).toBe(before);
    } finally {
      await quiet.close();
      removeDataDir(quiet.dataDir);
    }
  });
});
