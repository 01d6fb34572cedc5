import { Body, Controller, HttpCode, Inject, Logger, OnModuleDestroy, Optional, Param, Post, Res } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@herald/kernel';
import {
  ApiErrors,
  Caller,
  HeraldConfig,
  Principal,
  RequireScope,
  Tracing,
  assertJsonWithin,
  formatTraceparent,
  traceOfRun,
  RequestTraceparent,
} from '@herald/platform';
import { TASK_OF_ANOTHER_OWNER, heartbeatAnswer } from '../domain';
import { TaskCommands } from '../commands/task-commands';
import { ReadyTask, TASK_QUEUE, TaskQueue } from '../dispatch/task-queue.port';
import { LeaseReport, LeaseReports, fenced } from './lease-reports';
import { newLeaseToken, taskIdOfToken } from './lease-token';
import { PendingProgress } from './pending-progress';
import { CompleteDto, FailDto, HeartbeatDto, ReleaseDto, TakeLeasesDto } from './worker-leases.dto';
import { HeartbeatAnswerDto, LeasesDto, ReportRecordedDto } from './worker-answers.dto';

/** The `:token` path parameter of the lease routes. */
const ApiLeaseToken = () => ApiParam({ name: 'token', description: 'The lease token a lease answer gave', example: '3f6b2a0e-….Xk2…' });

/** The events that start a task's run: its leases belong to the trace of the request that appended the latest of them. */
const startsRun = (type: string) => type === 'TaskEnqueued' || type === 'TaskRetriggered';

/** A candidate another owner's: a worker key limited to an owner does not run it, and it goes back to the queue untried. */
const ANOTHER_OWNERS = Symbol('another owner’s task');
/** How far past other owners' tasks one lease request looks (the queue hands them out first again each time). */
const MAX_LOOK_AHEAD = 200;

/**
 * The worker protocol over HTTP: any language can be a worker. Leases are
 * granted by the task's own stream (LeaseTask at its revision); every later
 * call names the lease by its token, and a token that no longer holds the
 * task is a 409 LeaseLost that changes nothing (fencing).
 */
@ApiTags('workers')
@RequireScope('work')
@Controller('api/v1/workers/leases')
export class WorkerLeasesController implements OnModuleDestroy {
  private readonly logger = new Logger('WorkerLeases');
  private readonly closing = new AbortController();

  constructor(
    private readonly tasks: TaskCommands,
    private readonly reports: LeaseReports,
    private readonly progress: PendingProgress,
    @Inject(TASK_QUEUE) private readonly queue: TaskQueue,
    private readonly config: HeraldConfig,
    @Optional() private readonly tracing: Tracing = Tracing.propagatingOnly(),
  ) {}

  /** Up to `max` leases on tasks of `types`, waiting up to `waitMs` for the first (long poll). */
  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'workers.lease',
    summary: 'Lease tasks to run (long poll)',
    description: 'Up to `max` leases on tasks of `types`, waiting up to `waitMs` for the first; empty when none came.',
  })
  @ApiOkResponse({ type: LeasesDto })
  @ApiErrors(400)
  async take(@Body() body: TakeLeasesDto, @Res({ passthrough: true }) reply: FastifyReply, @Caller() caller: Principal) {
    const max = body.max ?? 1;
    const deadline = Date.now() + (body.waitMs ?? 0);
    const stop = AbortSignal.any([abortOnHangUp(reply).signal, this.closing.signal]);
    const leases = [];
    let foreign = 0; // other owners' tasks seen ahead of ours: the next round asks for that many more
    while (leases.length === 0 && !stop.aborted) {
      const want = Math.min(max + foreign, MAX_LOOK_AHEAD);
      const candidates = await this.queue.take(body.types, want, Math.max(0, deadline - Date.now()), stop);
      // Empty means the wait ended: the deadline passed, the worker hung up, or the queue closed for shutdown.
      if (candidates.length === 0) break;
      const round = await this.leaseRound(stop.aborted ? [] : candidates, candidates, body.workerId, caller.owner);
      leases.push(...round.leases);
      if (Date.now() >= deadline || leases.length > 0) break;
      if (round.foreign === 0) continue;
      foreign = round.foreign;
      // Only other owners' tasks, and nothing behind them (or no further to look): taking them again at
      // once would spin. Wait out the poll (they are back in the queue for their owners' workers meanwhile).
      if (candidates.length < want || want === MAX_LOOK_AHEAD) {
        await waitUntil(deadline, stop);
        break;
      }
    }
    return { leases };
  }

  /**
   * Leases what it can of `tried` (a worker that hung up tries nothing); decided candidates are
   * done with, the rest — never tried, the store failed, or another owner's — go back to the queue.
   */
  private async leaseRound(tried: ReadyTask[], candidates: ReadyTask[], workerId: string, owner: string | null) {
    // In parallel: the appends of one burst share a commit (group commit on SQLite).
    const granted = await Promise.allSettled(tried.map((c) => this.lease(c, workerId, owner)));
    const decided = tried.filter((_, i) => {
      const g = granted[i];
      return g.status === 'fulfilled' && g.value !== ANOTHER_OWNERS;
    });
    await this.queue.settle(
      decided,
      candidates.filter((c) => !decided.includes(c)),
    );
    const leases = granted.flatMap((g) => (g.status === 'fulfilled' && g.value && g.value !== ANOTHER_OWNERS ? [g.value] : []));
    const failed = granted.find((g): g is PromiseRejectedResult => g.status === 'rejected');
    if (failed && leases.length === 0) throw failed.reason; // nothing to hand out: the worker sees the error and retries
    return { leases, foreign: granted.filter((g) => g.status === 'fulfilled' && g.value === ANOTHER_OWNERS).length };
  }

  /** Shutdown ends the long polls waiting past other owners' tasks, as it ends the queue's own waits. */
  onModuleDestroy(): void {
    this.closing.abort();
  }

  @Post(':token/heartbeat')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'workers.heartbeat',
    summary: 'Keep a lease alive; record progress and a checkpoint',
    description: 'Answers whether a user asked to pause or cancel the task.',
  })
  @ApiLeaseToken()
  @ApiBody({ type: HeartbeatDto, required: false })
  @ApiOkResponse({ type: HeartbeatAnswerDto })
  @ApiErrors(400, 409)
  async heartbeat(@Param('token') token: string, @Body() body: HeartbeatDto, @Caller() caller: Principal, @RequestTraceparent() traceparent: string) {
    assertJsonWithin('progress', body.progress, this.config.PAYLOAD_MAX_BYTES);
    assertJsonWithin('checkpoint', body.checkpoint, this.config.PAYLOAD_MAX_BYTES);
    const taskId = taskIdOfToken(token);
    await this.reports.assertHeldBy(token, caller.owner);
    const { state } = await fenced(() =>
      this.tasks.run({ type: 'RecordHeartbeat', taskId, token, progress: body.progress, checkpoint: body.checkpoint }, { traceparent }),
    );
    this.progress.afterHeartbeat(token, body.progress, state!);
    return heartbeatAnswer(state!);
  }

  @Post(':token/complete')
  @HttpCode(200)
  @ApiOperation({ operationId: 'workers.complete', summary: 'Report a leased task completed, with its result' })
  @ApiLeaseToken()
  @ApiBody({ type: CompleteDto, required: false })
  @ApiOkResponse({ type: ReportRecordedDto })
  @ApiErrors(400, 409)
  async complete(@Param('token') token: string, @Body() body: CompleteDto, @Caller() caller: Principal, @RequestTraceparent() traceparent: string) {
    return this.report({ outcome: 'complete', token, result: body.result }, caller, traceparent);
  }

  @Post(':token/fail')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'workers.fail',
    summary: 'Report a leased task failed',
    description: 'Queued again after a backoff while attempts last (unless `retryable: false`), else Failed; acknowledges a cancel.',
  })
  @ApiLeaseToken()
  @ApiOkResponse({ type: ReportRecordedDto })
  @ApiErrors(400, 409)
  async fail(@Param('token') token: string, @Body() body: FailDto, @Caller() caller: Principal, @RequestTraceparent() traceparent: string) {
    return this.report({ outcome: 'fail', token, error: body.error, retryable: body.retryable }, caller, traceparent);
  }

  @Post(':token/release')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'workers.release',
    summary: 'Hand a leased task back, spending no attempt',
    description: 'Acknowledges a pause or cancel (then Paused or Cancelled), or hands the task back on shutdown (Queued).',
  })
  @ApiLeaseToken()
  @ApiBody({ type: ReleaseDto, required: false })
  @ApiOkResponse({ type: ReportRecordedDto })
  @ApiErrors(400, 409)
  async release(@Param('token') token: string, @Body() body: ReleaseDto, @Caller() caller: Principal, @RequestTraceparent() traceparent: string) {
    return this.report({ outcome: 'release', token, checkpoint: body.checkpoint }, caller, traceparent);
  }

  /**
   * Grants a lease on a candidate, or null when the stream says it is no longer leasable (taken, paused, cancelled).
   *
   * A lease is a span of the trace its task's run started in (the enqueue's, or the latest retrigger's: the
   * `traceparent` in that event's metadata), and the lease answer carries the span as `traceparent`, so the
   * worker's own spans continue the trace. The stream is read here, for that metadata, and the lease decided on
   * this read (`loaded`): still one read and one append per lease.
   */
  private async lease(candidate: ReadyTask, workerId: string, forOwner: string | null) {
    const token = newLeaseToken(candidate.taskId);
    const { state: read, revision, recorded } = await this.tasks.load(candidate.taskId);
    const span = this.tracing.startSpan('lease task', {
      kind: SpanKind.PRODUCER,
      parent: traceOfRun(recorded, startsRun),
      attributes: this.tracing.recording
        ? { 'herald.task.id': candidate.taskId, 'herald.task.type': candidate.type, 'herald.worker.id': workerId }
        : undefined,
    });
    const traceparent = formatTraceparent(span.spanContext());
    try {
      const { state } = await this.tasks.run(
        { type: 'LeaseTask', taskId: candidate.taskId, token, workerId, forOwner },
        { loaded: { state: read, revision }, traceparent },
      );
      const lease = state!.lease!;
      span.setAttribute('herald.task.attempt', state!.attempt);
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
        traceparent,
      };
    } catch (error) {
      span.setAttribute('herald.lease.refused', error instanceof DomainError ? error.code : 'error');
      if (error instanceof DomainError) return error.code === TASK_OF_ANOTHER_OWNER ? ANOTHER_OWNERS : null;
      throw error;
    } finally {
      span.end();
    }
  }

  private async report(report: LeaseReport, caller: Principal, traceparent: string) {
    this.reports.assertWithinLimits(report);
    await this.reports.assertHeldBy(report.token, caller.owner);
    return this.reports.record(report, traceparent);
  }
}

/** Aborts when the worker hangs up mid long-poll, so no lease is granted to a client that is gone. */
/** Resolves at the deadline, or at once when (or if already) the signal aborts. */
function waitUntil(deadline: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
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
