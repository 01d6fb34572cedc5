import { Body, Controller, HttpCode, Inject, Logger, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@herald/kernel';
import { Caller, HeraldConfig, Principal, RequireScope, assertJsonWithin } from '@herald/platform';
import { TASK_OF_ANOTHER_OWNER, heartbeatAnswer } from '../domain';
import { TaskCommands } from '../commands/task-commands';
import { ReadyTask, TASK_QUEUE, TaskQueue } from '../dispatch/task-queue.port';
import { LeaseReport, LeaseReports, fenced } from './lease-reports';
import { newLeaseToken, taskIdOfToken } from './lease-token';
import { CompleteDto, FailDto, HeartbeatDto, ReleaseDto, TakeLeasesDto } from './worker-leases.dto';

/**
 * The worker protocol over HTTP: any language can be a worker. Leases are
 * granted by the task's own stream (LeaseTask at its revision); every later
 * call names the lease by its token, and a token that no longer holds the
 * task is a 409 LeaseLost that changes nothing (fencing).
 */
const ANOTHER_OWNERS = Symbol('another owner’s task');

@RequireScope('work')
@Controller('api/v1/workers/leases')
export class WorkerLeasesController {
  private readonly logger = new Logger('WorkerLeases');

  constructor(
    private readonly tasks: TaskCommands,
    private readonly reports: LeaseReports,
    @Inject(TASK_QUEUE) private readonly queue: TaskQueue,
    private readonly config: HeraldConfig,
  ) {}

  /** Up to `max` leases on tasks of `types`, waiting up to `waitMs` for the first (long poll). */
  @Post()
  @HttpCode(200)
  async take(@Body() body: TakeLeasesDto, @Res({ passthrough: true }) reply: FastifyReply, @Caller() caller: Principal) {
    const max = body.max ?? 1;
    const deadline = Date.now() + (body.waitMs ?? 0);
    const gone = abortOnHangUp(reply);
    const leases = [];
    while (leases.length === 0 && !gone.signal.aborted) {
      const candidates = await this.queue.take(body.types, max, Math.max(0, deadline - Date.now()), gone.signal);
      // Empty means the wait ended: the deadline passed, the worker hung up, or the queue closed for shutdown.
      if (candidates.length === 0) break;
      // A worker that hung up gets nothing: its candidates go back for the next one.
      const tried = gone.signal.aborted ? [] : candidates;
      // In parallel: the appends of one burst share a commit (group commit on SQLite).
      const granted = await Promise.allSettled(tried.map((c) => this.lease(c, body.workerId, caller.owner)));
      // Another owner's task (a worker key limited to an owner) is not decided: it goes back for that owner's workers.
      const decided = tried.filter((_, i) => {
        const g = granted[i];
        return g.status === 'fulfilled' && g.value !== ANOTHER_OWNERS;
      });
      // Decided ones are done with; the rest (never tried, or the store failed) go back for another try.
      await this.queue.settle(
        decided,
        candidates.filter((c) => !decided.includes(c)),
      );
      for (const g of granted) if (g.status === 'fulfilled' && g.value && g.value !== ANOTHER_OWNERS) leases.push(g.value);
      const failed = granted.find((g): g is PromiseRejectedResult => g.status === 'rejected');
      if (failed && leases.length === 0) throw failed.reason; // nothing to hand out: the worker sees the error and retries
      if (Date.now() >= deadline) break;
      if (leases.length === 0 && granted.every((g) => g.status === 'fulfilled' && g.value === ANOTHER_OWNERS)) {
        // Only other owners' tasks at the head of these types' queues: taking them again at once would spin.
        // Wait out the poll instead (they are back in the queue for their owners' workers meanwhile).
        await waitUntil(deadline, gone.signal);
        break;
      }
    }
    return { leases };
  }

  @Post(':token/heartbeat')
  @HttpCode(200)
  async heartbeat(@Param('token') token: string, @Body() body: HeartbeatDto) {
    assertJsonWithin('progress', body.progress, this.config.PAYLOAD_MAX_BYTES);
    assertJsonWithin('checkpoint', body.checkpoint, this.config.PAYLOAD_MAX_BYTES);
    const taskId = taskIdOfToken(token);
    const { state } = await fenced(() =>
      this.tasks.run({ type: 'RecordHeartbeat', taskId, token, progress: body.progress, checkpoint: body.checkpoint }),
    );
    return heartbeatAnswer(state!);
  }

  @Post(':token/complete')
  @HttpCode(200)
  async complete(@Param('token') token: string, @Body() body: CompleteDto) {
    return this.report({ outcome: 'complete', token, result: body.result });
  }

  @Post(':token/fail')
  @HttpCode(200)
  async fail(@Param('token') token: string, @Body() body: FailDto) {
    return this.report({ outcome: 'fail', token, error: body.error, retryable: body.retryable });
  }

  @Post(':token/release')
  @HttpCode(200)
  async release(@Param('token') token: string, @Body() body: ReleaseDto) {
    return this.report({ outcome: 'release', token, checkpoint: body.checkpoint });
  }

  /** Grants a lease on a candidate, or null when the stream says it is no longer leasable (taken, paused, cancelled). */
  private async lease(candidate: ReadyTask, workerId: string, forOwner: string | null) {
    const token = newLeaseToken(candidate.taskId);
    try {
      const { state } = await this.tasks.run({ type: 'LeaseTask', taskId: candidate.taskId, token, workerId, forOwner });
      const lease = state!.lease!;
      this.logger.debug({ taskId: candidate.taskId, workerId, attempt: state!.attempt }, 'task leased');
      return {
        token,
        taskId: state!.taskId,
        type: state!.type,
        params: state!.params,
        checkpoint: state!.checkpoint,
        attempt: state!.attempt,
        heartbeatTimeoutMs: state!.heartbeatTimeoutMs,
        expiresAt: lease.expiresAt,
      };
    } catch (error) {
      if (error instanceof DomainError) return error.code === TASK_OF_ANOTHER_OWNER ? ANOTHER_OWNERS : null;
      throw error;
    }
  }

  private async report(report: LeaseReport) {
    this.reports.assertWithinLimits(report);
    return this.reports.record(report);
  }
}

/** Aborts when the worker hangs up mid long-poll, so no lease is granted to a client that is gone. */
function waitUntil(deadline: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

function abortOnHangUp(reply: FastifyReply): AbortController {
  const controller = new AbortController();
  // The response closing before it was written means the connection went away.
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller;
}
