import { NonRetryableError } from '../errors';
import { WorkerLogger } from '../logger';
import { TaskContext } from '../task/task-context';
import { failFastOn, logTasks, RunSample, timeTasks } from './builtins';
import { compose } from './compose';

const contextWith = (signal: AbortSignal = new AbortController().signal) =>
  ({ taskId: 't-1', type: 'report.export', attempt: 2, signal }) as TaskContext;

/** A clock that moves 25 ms each time it is read. */
const ticking = () => {
  let t = 1_000;
  return () => (t += 25);
};

const recordingLogger = () => {
  const lines: [string, string, Record<string, unknown> | undefined][] = [];
  const logger: WorkerLogger = {
    info: (m, meta) => lines.push(['info', m, meta]),
    warn: (m, meta) => lines.push(['warn', m, meta]),
    error: (m, meta) => lines.push(['error', m, meta]),
  };
  return { logger, lines };
};

describe('timeTasks', () => {
  it('hands one sample per run to the recorder: completed, with the run’s duration, and the result passes through', async () => {
    const samples: RunSample[] = [];
    const pipeline = compose([timeTasks((s) => samples.push(s), ticking())], async () => 'done');
    await expect(pipeline(contextWith())).resolves.toBe('done');
    expect(samples).toEqual([{ type: 'report.export', taskId: 't-1', attempt: 2, outcome: 'completed', durationMs: 25 }]);
  });

  it('records a failure as failed and rethrows the handler’s error', async () => {
    const samples: RunSample[] = [];
    const pipeline = compose([timeTasks((s) => samples.push(s), ticking())], () => Promise.reject(new Error('boom')));
    await expect(pipeline(contextWith())).rejects.toThrow('boom');
    expect(samples.map((s) => s.outcome)).toEqual(['failed']);
  });

  it('records why an aborted run stopped, whatever the handler then returned', async () => {
    const samples: RunSample[] = [];
    const controller = new AbortController();
    const pipeline = compose([timeTasks((s) => samples.push(s))], async () => {
      controller.abort({ kind: 'paused' });
      return undefined;
    });
    await pipeline(contextWith(controller.signal));
    expect(samples.map((s) => s.outcome)).toEqual(['paused']);
  });

  it('never lets a failing recorder decide the task: the result stands', async () => {
    const pipeline = compose(
      [
        timeTasks(() => {
          throw new Error('metrics down');
        }),
      ],
      async () => 7,
    );
    await expect(pipeline(contextWith())).resolves.toBe(7);
  });
});

describe('logTasks', () => {
  it('logs a completed run at info with its duration', async () => {
    const { logger, lines } = recordingLogger();
    await compose([logTasks(logger, ticking())], async () => 1)(contextWith());
    expect(lines).toEqual([['info', 'task completed', { taskId: 't-1', type: 'report.export', attempt: 2, durationMs: 25 }]]);
  });

  it('logs a failed run at warn with the error’s message, and rethrows it', async () => {
    const { logger, lines } = recordingLogger();
    await expect(compose([logTasks(logger, ticking())], () => Promise.reject(new Error('no such month')))(contextWith())).rejects.toThrow(
      'no such month',
    );
    expect(lines).toEqual([['warn', 'task failed', { taskId: 't-1', type: 'report.export', attempt: 2, durationMs: 25, error: 'no such month' }]]);
  });

  it('logs a run stopped by a cancel as stopped, not failed', async () => {
    const { logger, lines } = recordingLogger();
    const controller = new AbortController();
    controller.abort({ kind: 'cancelled' });
    await expect(compose([logTasks(logger)], () => Promise.reject(new Error('aborted')))(contextWith(controller.signal))).rejects.toThrow();
    expect(lines.map(([level, message]) => [level, message])).toEqual([['info', 'task stopped: cancelled']]);
  });
});

describe('failFastOn', () => {
  class NotFound extends Error {}
  const pipelineThrowing = (error: Error) => compose([failFastOn((e) => e instanceof NotFound)], () => Promise.reject(error));

  it('turns an error it recognises into a NonRetryableError with the same message and the original as cause', async () => {
    const original = new NotFound('customer 42 does not exist');
    const thrown = await pipelineThrowing(original)(contextWith()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(NonRetryableError);
    expect((thrown as Error).message).toBe('customer 42 does not exist');
    expect((thrown as Error).cause).toBe(original);
  });

  it('lets other errors through unchanged (they are retried)', async () => {
    const transient = new Error('connection reset');
    await expect(pipelineThrowing(transient)(contextWith())).rejects.toBe(transient);
  });

  it('passes results through', async () => {
    await expect(compose([failFastOn(() => true)], async () => 'ok')(contextWith())).resolves.toBe('ok');
  });
});
