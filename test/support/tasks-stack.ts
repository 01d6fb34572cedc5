import Database from 'better-sqlite3';
import { join } from 'node:path';
import { eventually } from '@herald/testing';
import { Replicas, explainingFailure, startReplicas, stopReplicas } from './full-stack';
import { RunningHerald, call, removeDataDir, startHerald } from './herald';
import { RawWorker } from './raw-worker';

export interface StoredEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * A running Herald as the task tests see it, whichever shape it has: the
 * all-in-one app in this process, or the services as separate processes
 * over RabbitMQ. The same scenarios run against both.
 */
export interface TaskStack {
  /** Where tasks are created and acted on, and where workers lease: the all-in-one app or the command API. */
  readonly writeUrl: string;
  /** Where task views are read: the all-in-one app or a query API. */
  readonly readUrl: string;
  readonly dataDir: string;
  /** The events of one stream, read straight from the log (lease tokens unredacted). */
  streamEvents(stream: string): StoredEvent[];
  /** Runs `wait`; when it fails, says what the services logged last, then fails the same way. */
  explain<T>(wait: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** How to start a fresh stack for one test, and how long that may take. */
export interface TaskStackTarget {
  readonly name: string;
  readonly startTimeoutMs: number;
  start(env: Record<string, string>): Promise<TaskStack>;
}

/** The all-in-one app already started by a test, seen as a stack (stopping it closes it and removes its data). */
export function embeddedStack(herald: RunningHerald): TaskStack {
  return {
    writeUrl: herald.url,
    readUrl: herald.url,
    dataDir: herald.dataDir,
    streamEvents: (stream) => herald.streamEvents(stream),
    explain: (wait) => wait(),
    stop: async () => {
      await herald.close();
      removeDataDir(herald.dataDir);
    },
  };
}

/** The separate services already started by a test, seen as a stack; stopping them deletes the queues of `taskTypes`. */
export function fullStack(r: Replicas, taskTypes: readonly string[]): TaskStack {
  let log: Database.Database | null = null;
  return {
    writeUrl: r.commandApi.url,
    readUrl: r.queryApis[0].url,
    dataDir: r.dataDir,
    streamEvents: (stream) => {
      log ??= new Database(join(r.dataDir, 'herald.sqlite'), { readonly: true });
      return (log.prepare('SELECT type, data FROM events WHERE stream = ? ORDER BY revision').all(stream) as { type: string; data: string }[]).map(
        (row) => ({ type: row.type, data: JSON.parse(row.data) as Record<string, unknown> }),
      );
    },
    explain: (wait) => explainingFailure(r, wait),
    stop: async () => {
      log?.close();
      log = null;
      await stopReplicas(r, taskTypes);
    },
  };
}

export const EMBEDDED: TaskStackTarget = {
  name: 'embedded (all-in-one, SQLite)',
  startTimeoutMs: 30_000,
  start: async (env) => embeddedStack(await startHerald(env)),
};

/** The four services as separate processes over RabbitMQ; their queues for `taskTypes` are deleted on stop. */
export function fullStackTarget(taskTypes: readonly string[]): TaskStackTarget {
  return {
    name: 'full stack (separate services over RabbitMQ)',
    startTimeoutMs: 90_000,
    start: async (env) => fullStack(await startReplicas(env), taskTypes),
  };
}

/** Creates `count` tasks, `concurrency` requests at a time; answers their ids in order. */
export async function enqueueMany(url: string, count: number, body: (i: number) => Record<string, unknown>, concurrency = 16): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const client = async () => {
    while (next < count) {
      const i = next++;
      const r = await call(`${url}/api/v1/tasks`, { method: 'POST', json: body(i) });
      if (r.status !== 202) throw new Error(`enqueue ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      ids[i] = r.body.id as string;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return ids;
}

/** How many times each task's log records `TaskCompleted`, for the tasks where that is not exactly once. */
export function notCompletedOnce(stack: TaskStack, ids: readonly string[]): { id: string; completions: number }[] {
  return ids
    .map((id) => ({ id, completions: stack.streamEvents(`task-${id}`).filter((e) => e.type === 'TaskCompleted').length }))
    .filter((c) => c.completions !== 1);
}

/** Waits until the read side lists `count` Completed tasks of `type` (at most 500: one page). */
export function allCompletedOnTheReadSide(stack: TaskStack, type: string, count: number, timeoutMs = 30_000) {
  return stack.explain(() =>
    eventually(
      () => call(`${stack.readUrl}/api/v1/tasks?type=${encodeURIComponent(type)}&status=Completed&limit=500`),
      (l) => l.status === 200 && l.body.items.length === count,
      { what: `${count} ${type} tasks Completed on the read side`, timeoutMs, intervalMs: 250 },
    ),
  );
}

/**
 * Two workers speaking the HTTP lease protocol by hand compete for `count`
 * fresh tasks of `type`: every task is leased and completed by exactly one of
 * them, exactly once in the log, and both get a share.
 */
export async function rawWorkersCompeteForTasks(stack: TaskStack, type: string, count: number, timeoutMs = 60_000): Promise<void> {
  const ids = await enqueueMany(stack.writeUrl, count, (i) => ({ type, params: { i } }));
  const completedBy = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  let failure: Error | null = null;
  const work = async (worker: RawWorker) => {
    while (!failure && completedBy.size < count) {
      if (Date.now() > deadline) throw new Error(`${completedBy.size} of ${count} tasks completed within ${timeoutMs} ms`);
      for (const lease of await worker.lease([type], { max: 20, waitMs: 500 })) {
        const c = await worker.report(lease.token, 'complete', { result: { by: worker.workerId } });
        if (c.status !== 200) throw new Error(`complete ${lease.taskId} by ${worker.workerId}: ${c.status} ${JSON.stringify(c.body)}`);
        const earlier = completedBy.get(lease.taskId);
        if (earlier) throw new Error(`${lease.taskId} completed twice: by ${earlier}, then by ${worker.workerId}`);
        completedBy.set(lease.taskId, worker.workerId);
      }
    }
  };
  // One worker's failure stops the other too, so neither loop outlives the test.
  const stopOnFailure = (worker: RawWorker) =>
    work(worker).catch((error: Error) => {
      failure ??= error;
    });
  await stack.explain(async () => {
    await Promise.all([stopOnFailure(new RawWorker(stack.writeUrl, 'raw-a')), stopOnFailure(new RawWorker(stack.writeUrl, 'raw-b'))]);
    if (failure) throw failure;
  });
  expect([...completedBy.keys()].sort()).toEqual([...ids].sort());
  expect([...new Set(completedBy.values())].sort()).toEqual(['raw-a', 'raw-b']); // both competed
  expect(notCompletedOnce(stack, ids)).toEqual([]);
  await allCompletedOnTheReadSide(stack, type, count);
}
