import { randomUUID } from 'node:crypto';
import { RABBITMQ_TEST_URL, eventually, serverAvailable } from '@herald/testing';
import { ExampleApp } from '../support/example-app';
import { Replicas, explainingFailure } from '../support/full-stack';
import { fullStackHooks } from '../support/full-stack-hooks';
import { call } from '../support/herald';
import { REPORT_EXPORT } from '../support/tasks-sdk-scenarios';
import { enqueueMany } from '../support/tasks-stack';

const run = serverAvailable('RabbitMQ', RABBITMQ_TEST_URL);

/** A worker's id names the command API it leases through: the log's TaskLeased then says which API handed the lease out. */
const VIA_API_1 = 'via-api-1';
const VIA_API_2 = 'via-api-2';

interface HistoryEvent {
  type: string;
  data: { token?: string; workerId?: string; leasedAt?: string };
}

/** One lease of a task as its history tells it: who held it, when, and the event that ended it (undefined while held). */
interface LeaseInHistory {
  workerId: string;
  leasedAt: number;
  endedBy: string | undefined;
}

interface TaskRun {
  id: string;
  completions: number;
  leases: LeaseInHistory[];
  /** The worker whose lease the completion was reported under. */
  completedBy: string | undefined;
}

/** The events that end a lease; each names its lease by the token (shortened on /events, still one per lease). */
const LEASE_ENDINGS = new Set(['TaskCompleted', 'TaskLeaseLapsed', 'TaskAttemptFailed', 'TaskReleased']);

function taskRun(id: string, history: HistoryEvent[]): TaskRun {
  const leases = new Map<string, LeaseInHistory>();
  let completions = 0;
  let completedBy: string | undefined;
  for (const { type, data } of history) {
    if (type === 'TaskLeased') leases.set(data.token!, { workerId: data.workerId!, leasedAt: Date.parse(data.leasedAt!), endedBy: undefined });
    const lease = data.token === undefined ? undefined : leases.get(data.token);
    if (lease && LEASE_ENDINGS.has(type)) lease.endedBy = type;
    if (type === 'TaskCompleted') {
      completions++;
      completedBy = lease?.workerId;
    }
  }
  return { id, completions, leases: [...leases.values()], completedBy };
}

/**
 * Task dispatch with two command APIs competing on the per-type queues in
 * RabbitMQ: tasks enqueued through one are leased through both, by SDK
 * worker processes (the example app) each polling its own API; and when one
 * API is SIGKILLed the tasks leased through it lapse and are run through the
 * other, each still completed exactly once.
 */
(run ? describe : describe.skip)('task dispatch across two command APIs on the full stack over RabbitMQ', () => {
  const stack = fullStackHooks({ commandApis: 2, taskTypes: [REPORT_EXPORT], env: { RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '200' } });
  const apps: ExampleApp[] = [];
  afterEach(() => Promise.all(apps.splice(0).map((a) => a.stop())));

  /** An SDK worker process leasing `report.export` through command API `api` (1 or 2). */
  const workerVia = (r: Replicas, api: 1 | 2) => {
    const app = new ExampleApp('worker', { HERALD_URL: r.commandApis[api - 1].url, WORKER_ID: `via-api-${api}`, WORKER_CONCURRENCY: '4' });
    apps.push(app);
    return app.start();
  };

  const enqueue = (r: Replicas, tag: string, count: number, params: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    enqueueMany(r.commandApi.url, count, (i) => ({ type: REPORT_EXPORT, tags: [tag], params: { month: `${tag}-${i}`, ...params }, ...extra }));

  /** How many tasks with `tag` the read side lists in `status` (at most 500: one page). */
  const listed = async (r: Replicas, tag: string, status: string) => {
    const page = await call(`${r.queryApis[0].url}/api/v1/tasks?type=${REPORT_EXPORT}&tag=${tag}&status=${status}&limit=500`);
    if (page.status !== 200) throw new Error(`list: ${page.status} ${JSON.stringify(page.body)}`);
    return (page.body.items as unknown[]).length;
  };

  const allCompleted = (r: Replicas, tag: string, count: number, timeoutMs: number) =>
    explainingFailure(r, () =>
      eventually(
        () => listed(r, tag, 'Completed'),
        (n) => n === count,
        { what: `${count} tasks tagged ${tag} Completed on the read side`, timeoutMs, intervalMs: 250 },
      ),
    );

  /** Each task's history, read from the log through a query API's /events, 16 at a time. */
  async function runsOf(r: Replicas, ids: readonly string[]): Promise<TaskRun[]> {
    const runs: TaskRun[] = [];
    let next = 0;
    const reader = async () => {
      for (let i = next++; i < ids.length; i = next++) {
        const h = await call(`${r.queryApis[1].url}/api/v1/tasks/${ids[i]}/events`);
        if (h.status !== 200) throw new Error(`events of ${ids[i]}: ${h.status} ${JSON.stringify(h.body)}`);
        runs[i] = taskRun(ids[i], h.body as HistoryEvent[]);
      }
    };
    await Promise.all(Array.from({ length: 16 }, reader));
    return runs;
  }

  /** Exactly one TaskCompleted per stream, and every lease ended by a completion or a lapse: none still held, none dropped. */
  function expectEachCompletedOnce(runs: TaskRun[]) {
    expect(runs.filter((t) => t.completions !== 1).map((t) => ({ id: t.id, completions: t.completions }))).toEqual([]);
    const otherwiseEnded = runs.flatMap((t) =>
      t.leases.filter((l) => l.endedBy !== 'TaskCompleted' && l.endedBy !== 'TaskLeaseLapsed').map((l) => ({ id: t.id, ...l })),
    );
    expect(otherwiseEnded).toEqual([]);
  }

  function leasesPerWorker(runs: TaskRun[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const lease of runs.flatMap((t) => t.leases)) counts[lease.workerId] = (counts[lease.workerId] ?? 0) + 1;
    return counts;
  }

  /** Nothing left waiting in the broker's queue for the type, as command API 1 (which declared it) reports on /health. */
  const brokerQueueDrained = (r: Replicas) =>
    eventually(
      () => call(`${r.commandApi.url}/health`),
      (h) => h.status === 200 && JSON.stringify(h.body.details?.['task-queue']?.waiting) === '{}',
      { what: "the broker's report.export queue empty", timeoutMs: 15_000, intervalMs: 250 },
    );

  it('hands out 200 tasks enqueued through command API 1 through both command APIs, each completed exactly once', async () => {
    const r = stack();
    await Promise.all([workerVia(r, 1), workerVia(r, 2)]);
    const tag = `split-${randomUUID()}`;
    const ids = await enqueue(r, tag, 200, { pages: 2, pageMs: 20 });
    await allCompleted(r, tag, 200, 60_000);
    const runs = await runsOf(r, ids);
    expectEachCompletedOnce(runs);
    const perWorker = leasesPerWorker(runs);
    console.info(`leases handed out per command API's worker: ${JSON.stringify(perWorker)}`);
    expect(Object.keys(perWorker).sort()).toEqual([VIA_API_1, VIA_API_2]); // both command APIs handed out leases
    await brokerQueueDrained(r);
  }, 120_000);

  it('lets the leases handed out through a SIGKILLed command API lapse, and runs those tasks through the other, each once', async () => {
    const r = stack();
    const [, viaApi2] = await Promise.all([workerVia(r, 1), workerVia(r, 2)]);
    const tag = `failover-${randomUUID()}`;
    // Long enough per task (4 pages of 50 ms) that the worker of API 2 is holding leases when its API dies.
    const ids = await enqueue(r, tag, 100, { pages: 4, pageMs: 50 }, { heartbeatTimeoutMs: 2_000, maxAttempts: 5 });
    // Mid-run: the worker of API 2 has started ten of them (the handler logs each start).
    await explainingFailure(r, () =>
      eventually(
        () => viaApi2.output.join(''),
        (out) => ids.filter((id) => out.includes(`report ${id}:`)).length >= 10,
        { what: 'the worker of command API 2 running its tenth task', timeoutMs: 30_000, intervalMs: 20 },
      ),
    );
    await r.commandApis[1].kill();
    const killedAt = Date.now();

    await allCompleted(r, tag, 100, 60_000);
    const runs = await runsOf(r, ids);
    expectEachCompletedOnce(runs);
    // The tasks leased through API 2 and not completed there: their leases lapsed and API 1's worker ran them.
    const stranded = runs.filter((t) => t.leases.some((l) => l.workerId === VIA_API_2 && l.endedBy === 'TaskLeaseLapsed'));
    console.info(`${stranded.length} tasks lapsed on the SIGKILLed command API 2; leases per worker: ${JSON.stringify(leasesPerWorker(runs))}`);
    expect(stranded.length).toBeGreaterThan(0);
    expect(stranded.filter((t) => t.completedBy !== VIA_API_1).map((t) => t.id)).toEqual([]);
    // Nothing was leased through API 2 once it was dead.
    const lateLeases = runs.flatMap((t) => t.leases).filter((l) => l.workerId === VIA_API_2 && l.leasedAt >= killedAt);
    expect(lateLeases).toEqual([]);
    await brokerQueueDrained(r);
  }, 120_000);
});
