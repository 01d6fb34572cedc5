import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NOTIFICATION_STREAM_PREFIX, NOTIFICATION_VIEW_DEFINITION, NOTIFICATION_VIEWS_PROJECTION } from '@herald/notifications';
import { loadConfig } from '@herald/platform';
import { REMINDER_CALLBACKS_PROJECTION, REMINDER_STREAM_PREFIX, REMINDER_VIEW_DEFINITION, REMINDER_VIEWS_PROJECTION } from '@herald/reminders';
import { SCHEDULE_RUNS_PROJECTION, SCHEDULE_STREAM_PREFIX, SCHEDULE_TIMERS_PROJECTION, SCHEDULE_VIEWS_PROJECTION } from '@herald/schedules';
import { TASK_STREAM_PREFIX, TASK_TIMERS_PROJECTION, TASK_VIEW_DEFINITION, TASK_VIEWS_PROJECTION } from '@herald/tasks';
import { eventually } from '@herald/testing';
import { call, removeDataDir, tempDataDir } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';
import { ROOT, RunOutcome, run } from '../support/package-project';
import { RawWorker } from '../support/raw-worker';
import { CallbackReceiver } from '../support/receiver';

/**
 * `npm run replay` as an operator runs it: the built CLI as a child process on
 * the data dir of a stopped all-in-one whose projections file was deleted.
 * The app would rebuild that file by itself at its next start (every
 * projection starts from its checkpoint, and there is none), so each rebuild
 * is checked in the file the CLI wrote before the app starts again.
 */

const REPLAY = join(ROOT, 'dist', 'apps', 'query-api', 'src', 'replay.js');

/** Each projection the CLI rebuilds, and the stream category it reads: its event count in the log is what the CLI reports. */
const REBUILT: Record<string, string> = {
  [REMINDER_CALLBACKS_PROJECTION]: REMINDER_STREAM_PREFIX,
  [TASK_TIMERS_PROJECTION]: TASK_STREAM_PREFIX,
  [SCHEDULE_TIMERS_PROJECTION]: SCHEDULE_STREAM_PREFIX,
  [REMINDER_VIEWS_PROJECTION]: REMINDER_STREAM_PREFIX,
  [TASK_VIEWS_PROJECTION]: TASK_STREAM_PREFIX,
  [SCHEDULE_VIEWS_PROJECTION]: SCHEDULE_STREAM_PREFIX,
  [SCHEDULE_RUNS_PROJECTION]: SCHEDULE_STREAM_PREFIX,
  [NOTIFICATION_VIEWS_PROJECTION]: NOTIFICATION_STREAM_PREFIX,
};

/** The read models' tables in the projections file (the schedule lib does not export its view definitions). */
const VIEW_TABLES: Record<string, string> = {
  [REMINDER_VIEWS_PROJECTION]: REMINDER_VIEW_DEFINITION.name,
  [TASK_VIEWS_PROJECTION]: TASK_VIEW_DEFINITION.name,
  [SCHEDULE_VIEWS_PROJECTION]: 'schedule_views',
  [SCHEDULE_RUNS_PROJECTION]: 'schedule_runs',
  [NOTIFICATION_VIEWS_PROJECTION]: NOTIFICATION_VIEW_DEFINITION.name,
};

interface Created {
  reminders: string[];
  tasks: string[];
  schedule: string;
  notification: string;
}

/** Everything the API shows of what the test created: the lists (read model only) and each resource by id. */
type ReadBack = Record<string, unknown>;

describe('npm run replay (the built CLI on a stopped all-in-one whose projections file was deleted)', () => {
  let dataDir: string;
  let herald: HeraldProcess;
  let receiver: CallbackReceiver;
  let created: Created;
  let before: ReadBack;
  /** Each task's last stream revision: what its row in the rebuilt task views must carry. */
  let taskRevisions: Record<string, number>;
  /** The projection names /health reports (`info.<name>` with a position). */
  let healthProjections: string[];
  /** The projections file as the app left it at its graceful stop: what a rebuild must write again. */
  let fileBefore: ProjectionsFile;
  let log: Database.Database;
  let eventsBefore: number;

  beforeAll(async () => {
    dataDir = tempDataDir();
    receiver = await new CallbackReceiver().start();
    herald = new HeraldProcess('all-in-one', { DATA_DIR: dataDir, PORT: String(await freePort()) });
    await herald.start();
    created = await createOfEachKind(herald.url, receiver.url);
    await settled(herald.url, created);
    await caughtUp(herald.url, dataDir);
    before = await readBack(herald.url, created);
    taskRevisions = Object.fromEntries(
      await Promise.all(
        (before.tasks as { id: string }[]).map(
          async ({ id }) => [id, (await call(`${herald.url}/api/v1/tasks/${id}/events`)).body.length - 1] as const,
        ),
      ),
    );
    const health = (await call(`${herald.url}/health`)).body.info as Record<string, { position?: unknown }>;
    healthProjections = Object.keys(health).filter((name) => 'position' in health[name]);
    await herald.stop();
    fileBefore = readProjectionsFile(dataDir);
    log = new Database(loadConfig({ DATA_DIR: dataDir }).sqliteFile, { readonly: true, fileMustExist: true });
    eventsBefore = logEvents();
  }, 60_000);

  afterAll(async () => {
    log?.close();
    await herald?.stop();
    await receiver?.stop();
    if (dataDir) removeDataDir(dataDir);
  });

  const logEvents = () => (log.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  const replay = (...args: string[]): Promise<RunOutcome> =>
    run(process.execPath, [REPLAY, ...args], '', ROOT, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 30_000);

  it('--list names every projection the app runs but its two process managers', async () => {
    const listed = await replay('--list');
    expect(listed.code).toBe(0);
    const names = listed.stdout.trim().split('\n');
    expect([...names].sort()).toEqual(Object.keys(REBUILT).sort());
    // process.* turn schedule occurrences into reminders and tasks: they act, they keep no state to rebuild.
    expect(healthProjections.filter((n) => !names.includes(n)).sort()).toEqual(['process.schedule-occurrences', 'process.schedule-runs-finished']);
    expect(names.every((n) => healthProjections.includes(n))).toBe(true);
  });

  it('rebuilds every projection into the deleted file; the restarted app reads back what it showed before', async () => {
    deleteProjectionsFile(dataDir);
    const rebuilt = await replay();
    expect(rebuilt).toMatchObject({ code: 0 });
    expect(reportedCounts(rebuilt.stdout)).toEqual(
      Object.fromEntries(Object.entries(REBUILT).map(([name, prefix]) => [name, eventsIn(dataDir, prefix)])),
    );
    expect(Object.values(reportedCounts(rebuilt.stdout)).every((n) => n > 0)).toBe(true);
    expect(logEvents()).toBe(eventsBefore); // a replay reads the log and writes nothing to it

    // The file the CLI wrote, before the app can touch it: row for row what the app had projected.
    const file = readProjectionsFile(dataDir);
    for (const table of Object.values(VIEW_TABLES)) expect(fileBefore.views[table].length).toBeGreaterThan(0);
    expect(file.checkpoints).toEqual(Object.keys(REBUILT).sort());
    expect(file.views).toEqual(fileBefore.views);
    expect(file.views[TASK_VIEW_DEFINITION.name].map(taskRow)).toEqual(expectedTaskRows(before, taskRevisions));
    expect(file.views[REMINDER_VIEW_DEFINITION.name].map((r) => r.id)).toEqual([...created.reminders].sort());
    expect(file.views[NOTIFICATION_VIEW_DEFINITION.name].map((r) => r.id)).toEqual([created.notification]);
    // Every timer of the three timers projections, the waiting reminder's callback among them; hand-off marks aside.
    expect(file.due).toEqual(fileBefore.due);
    expect(file.due.map((e) => `${e.topic}/${e.key}`)).toContain(`callbacks/${created.reminders[0]}`);

    await expectSameAfterRestart();
  }, 60_000);

  it('--projection query.task-views rebuilds the task views alone', async () => {
    deleteProjectionsFile(dataDir);
    const rebuilt = await replay('--projection', TASK_VIEWS_PROJECTION);
    expect(rebuilt).toMatchObject({ code: 0 });
    expect(reportedCounts(rebuilt.stdout)).toEqual({ [TASK_VIEWS_PROJECTION]: eventsIn(dataDir, TASK_STREAM_PREFIX) });

    const file = readProjectionsFile(dataDir);
    expect(file.checkpoints).toEqual([TASK_VIEWS_PROJECTION]);
    const taskViews = TASK_VIEW_DEFINITION.name;
    expect(file.views[taskViews]).toEqual(fileBefore.views[taskViews]);
    expect(file.views[taskViews].map(taskRow)).toEqual(expectedTaskRows(before, taskRevisions));
    // The others were not asked for: left to the app's next start.
    for (const table of Object.values(VIEW_TABLES).filter((t) => t !== taskViews)) expect(file.views[table]).toEqual([]);
    expect(file.due).toEqual([]);

    // The app rebuilds the rest from their missing checkpoints; the task views it finds caught up.
    await expectSameAfterRestart();
  }, 60_000);

  it('refuses an unknown projection with exit code 2, naming the known ones, and rebuilds nothing', async () => {
    const refused = await replay('--projection', TASK_VIEWS_PROJECTION, '--projection', 'query.nope');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unknown projection query.nope; known: ');
    for (const name of Object.keys(REBUILT)) expect(refused.stderr).toContain(name);
    expect(refused.stdout).not.toContain('rebuilt');
    const usage = await replay('--rebuild-all');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('npm run replay -- --projection <name>');
  });

  async function expectSameAfterRestart(): Promise<void> {
    await herald.start();
    try {
      // Lists read the read model only: complete once the app has caught up with the log (it may, for what the CLI was not asked to rebuild).
      await settled(herald.url, created);
      expect(await readBack(herald.url, created)).toEqual(before);
    } finally {
      await herald.stop();
    }
  }
});

/** Of each kind, several states, so that a view is folded from more than one event. */
async function createOfEachKind(url: string, receiverUrl: string): Promise<Created> {
  const post = async (path: string, json: Record<string, unknown>, status: number) => {
    const r = await call(`${url}/api/v1/${path}`, { method: 'POST', json });
    if (r.status !== status) throw new Error(`POST ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  // A reminder due in an hour (still Active at the end), one fired at once (Completed), one cancelled.
  const waiting = await post('reminders', { minutes: 60, address: `${receiverUrl}/later`, payload: { n: 1 } }, 201);
  const fired = await post('reminders', { seconds: 0, address: `${receiverUrl}/now`, payload: { n: 2 } }, 201);
  const cancelled = await post('reminders', { minutes: 60, address: `${receiverUrl}/never` }, 201);
  expect((await call(`${url}/api/v1/reminders/${cancelled}`, { method: 'DELETE' })).status).toBe(204);

  // A task leased, reported on and completed; one left queued; one paused.
  const done = await post('tasks', { type: 'replay.work', params: { pages: 3 }, tags: ['replayed'], priority: 5 }, 202);
  const worker = new RawWorker(url, 'replay-worker');
  const lease = await worker.leaseOne('replay.work');
  expect((await worker.report(lease.token, 'heartbeat', { progress: { page: 2 }, checkpoint: { page: 2 } })).status).toBe(200);
  expect((await worker.report(lease.token, 'complete', { result: { pages: 3 } })).status).toBe(200);
  const queued = await post('tasks', { type: 'replay.idle', owner: 'ops' }, 202);
  const paused = await post('tasks', { type: 'replay.idle', params: { big: true } }, 202);
  expect((await call(`${url}/api/v1/tasks/${paused}/pause`, { method: 'POST', json: { reason: 'later' } })).status).toBe(202);

  // A paused schedule (it never fires by itself) triggered once by hand: a run and its task.
  const schedule = await post('schedules', { cron: '0 9 * * *', paused: true, target: { task: { type: 'replay.scheduled' } } }, 201);
  expect((await call(`${url}/api/v1/schedules/${schedule}/trigger`, { method: 'POST' })).status).toBe(200);

  const notification = await post('notifications', { channel: 'replay', message: 'rebuilt from the log', data: { n: 3 } }, 201);
  return { reminders: [waiting, fired, cancelled], tasks: [done, queued, paused], schedule, notification };
}

/** Until the lists show every resource in its final state: nothing the test created changes after that. */
async function settled(url: string, created: Created): Promise<void> {
  const statuses = async (path: string) =>
    Object.fromEntries(((await call(`${url}/api/v1/${path}?limit=500`)).body.items as { id: string; status: string }[]).map((v) => [v.id, v.status]));
  await eventually(
    async () => ({
      reminders: await statuses('reminders'),
      tasks: await statuses('tasks'),
      schedules: (await call(`${url}/api/v1/schedules?limit=500`)).body.items as { id: string; runs: number }[],
      runs: (await call(`${url}/api/v1/schedules/${created.schedule}/runs?limit=500`)).body.items as { taskId?: string }[],
      notifications: (await call(`${url}/api/v1/notifications?limit=500`)).body.items as { id: string }[],
    }),
    (s) => {
      const [waiting, fired, cancelled] = created.reminders;
      const [done, queued, paused] = created.tasks;
      const scheduledTask = s.runs[0]?.taskId;
      return (
        s.reminders[waiting] === 'Active' &&
        s.reminders[fired] === 'Completed' &&
        s.reminders[cancelled] === 'Cancelled' &&
        s.tasks[done] === 'Completed' &&
        s.tasks[queued] === 'Queued' &&
        s.tasks[paused] === 'Paused' &&
        s.runs.length === 1 &&
        scheduledTask !== undefined &&
        s.tasks[scheduledTask] === 'Queued' &&
        s.schedules.some((v) => v.id === created.schedule && v.runs === 1) &&
        s.notifications.some((v) => v.id === created.notification)
      );
    },
    { timeoutMs: 15_000, what: 'every resource in its final state on the lists' },
  );
}

/**
 * Until each projection the CLI rebuilds has handled the last event of its category (the timers gather
 * events for a few milliseconds, and no list shows them): the projections file is then final at the stop.
 */
async function caughtUp(url: string, dataDir: string): Promise<void> {
  const last = Object.fromEntries(Object.entries(REBUILT).map(([name, prefix]) => [name, lastPositionIn(dataDir, prefix)]));
  await eventually(
    async () => (await call(`${url}/health`)).body.info as Record<string, { position: string | null }>,
    (info) => Object.entries(last).every(([name, position]) => Number(info[name]?.position) >= position),
    { what: 'every projection at the last event of its category' },
  );
}

/**
 * The lists and every resource by id. An Active reminder's `timeLeft` is the
 * one field that differs between two reads: seconds until due, counted from
 * the moment of the read. It is dropped; `dueAt`, which it is computed from, stays.
 */
async function readBack(url: string, created: Created): Promise<ReadBack> {
  const get = async (path: string) => {
    const r = await call(`${url}/api/v1/${path}`);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return withoutClock(r.body);
  };
  const list = async (path: string) =>
    ((await get(`${path}${path.includes('?') ? '&' : '?'}limit=500`)) as { items: unknown[] }).items.map(withoutClock);
  const tasks = (await list('tasks')) as { id: string }[];
  const byId = async (kind: string, ids: string[]) => Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await get(`${kind}/${id}`)])));
  return {
    reminders: await list('reminders'),
    tasks,
    schedules: await list('schedules'),
    runs: await list(`schedules/${created.schedule}/runs`),
    notifications: await list('notifications'),
    reminderById: await byId('reminders', created.reminders),
    // Every task, the schedule's included (its id is derived from the schedule and the occurrence).
    taskById: await byId(
      'tasks',
      tasks.map((t) => t.id),
    ),
    scheduleById: await byId('schedules', [created.schedule]),
    notificationById: await byId('notifications', [created.notification]),
  };
}

function withoutClock(view: unknown): unknown {
  if (typeof view !== 'object' || view === null || (view as { status?: unknown }).status !== 'Active' || !('timeLeft' in view)) return view;
  const { timeLeft: _readAt, ...rest } = view as Record<string, unknown>;
  return rest;
}

/** The damage: the projections file gone, with its WAL and shared-memory files, the way an operator deletes it. */
function deleteProjectionsFile(dataDir: string): void {
  const file = loadConfig({ DATA_DIR: dataDir }).sqliteProjectionsFile;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  expect(existsSync(file)).toBe(false);
}

/** `rebuilt <name> from <n> events in …` → { name: n }; any other line fails the match. */
function reportedCounts(stdout: string): Record<string, number> {
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => {
        const match = /^rebuilt (\S+) from (\d+) events in \d+\.\d\d s \(\d+ events\/s\)$/.exec(line);
        if (!match) throw new Error(`unexpected output line: ${line}`);
        return [match[1], Number(match[2])];
      }),
  );
}

/** Events of one stream category in the log file, and the position of its last. */
function categoryInLog(dataDir: string, prefix: string): { n: number; last: number } {
  const log = new Database(loadConfig({ DATA_DIR: dataDir }).sqliteFile, { readonly: true, fileMustExist: true });
  try {
    return log.prepare("SELECT COUNT(*) AS n, MAX(position) AS last FROM events WHERE stream LIKE ? || '%'").get(prefix) as {
      n: number;
      last: number;
    };
  } finally {
    log.close();
  }
}
const eventsIn = (dataDir: string, prefix: string) => categoryInLog(dataDir, prefix).n;
const lastPositionIn = (dataDir: string, prefix: string) => categoryInLog(dataDir, prefix).last;

type Row = Record<string, unknown> & { id: string };

interface ProjectionsFile {
  /** Checkpoint names. */
  checkpoints: string[];
  /** Each view table's rows, every column, by id; a table not there is empty. */
  views: Record<string, Row[]>;
  /** The time index without its hand-off marks: a rebuilt entry is handed over again (consumers drop what already ran). */
  due: { topic: string; key: string; sequence: number; due_at: number }[];
}

/** Read-only, with the app stopped: what is in the projections file now. */
function readProjectionsFile(dataDir: string): ProjectionsFile {
  const db = new Database(loadConfig({ DATA_DIR: dataDir }).sqliteProjectionsFile, { readonly: true, fileMustExist: true });
  try {
    const hasTable = (table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    const rows = <T>(table: string, sql: string): T[] => (hasTable(table) ? (db.prepare(sql).all() as T[]) : []);
    return {
      checkpoints: rows<{ subscriber: string }>('checkpoints', 'SELECT subscriber FROM checkpoints ORDER BY subscriber').map((r) => r.subscriber),
      views: Object.fromEntries(Object.values(VIEW_TABLES).map((table) => [table, rows<Row>(table, `SELECT * FROM ${table} ORDER BY id`)])),
      due: rows('due_entries', 'SELECT topic, key, sequence, due_at FROM due_entries ORDER BY topic, key'),
    };
  } finally {
    db.close();
  }
}

type TaskRow = { id: string; status: string; revision: number };

const taskRow = ({ id, status, revision }: Row): TaskRow => ({ id, status: status as string, revision: revision as number });

/** Every task on the list before the damage, with its status then and its stream's last revision. */
function expectedTaskRows(before: ReadBack, revisions: Record<string, number>): TaskRow[] {
  return (before.tasks as { id: string; status: string }[])
    .map((t) => ({ id: t.id, status: t.status, revision: revisions[t.id] }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
