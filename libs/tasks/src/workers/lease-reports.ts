import { Injectable, Logger } from '@nestjs/common';
import { DomainError, conflict } from '@herald/kernel';
import { HeraldConfig, assertJsonWithin } from '@herald/platform';
import { CommandRunner, derivedCommandId } from '@herald/runtime';
import { TASK } from '../task-aggregate';
import { TaskCommands } from '../commands/task-commands';
import { taskIdOfToken } from './lease-token';
import { PendingProgress } from './pending-progress';

/** How a worker's run of a leased task ended. */
export type LeaseReport =
  | { readonly outcome: 'complete'; readonly token: string; readonly result?: unknown }
  | { readonly outcome: 'fail'; readonly token: string; readonly error: string; readonly retryable?: boolean }
  | { readonly outcome: 'release'; readonly token: string; readonly checkpoint?: unknown };

export interface ReportRecorded {
  readonly taskId: string;
  readonly status: string;
}

/**
 * Records worker reports, one at a time (`/leases/:token/<outcome>`) or in a
 * batch (`/workers/reports`): both go through here, so a report sent once
 * each way is recorded once.
 */
@Injectable()
export class LeaseReports {
  private readonly logger = new Logger('WorkerLeases');

  constructor(
    private readonly tasks: TaskCommands,
    private readonly config: HeraldConfig,
    private readonly commands: CommandRunner,
    private readonly progress: PendingProgress,
  ) {}

  /**
   * A worker key limited to an owner holds leases on its owner's tasks only:
   * another owner's token is refused as not held (409 LeaseLost), like one
   * Herald never issued, and nothing is recorded. Leasing already keeps such
   * tokens from it; this holds even for a token learnt some other way.
   */
  async assertHeldBy(token: string, owner: string | null): Promise<void> {
    if (owner === null) return;
    const { state } = await this.commands.load(TASK, taskIdOfToken(token));
    if (!state || state.owner !== owner) throw conflict('LeaseLost', `lease ${token} is not one this API key holds`);
  }

  /** A 400 before anything is written: a batch with one oversized result writes none of its reports. */
  assertWithinLimits(report: LeaseReport): void {
    if (report.outcome === 'complete') assertJsonWithin('result', report.result, this.config.PAYLOAD_MAX_BYTES);
    if (report.outcome === 'release') assertJsonWithin('checkpoint', report.checkpoint, this.config.PAYLOAD_MAX_BYTES);
  }

  /**
   * The report's command id derives from the lease and the outcome: a worker
   * that retries after a lost response finds its report applied (200), not a 409.
   * `traceparent`: the reporting request's (the worker continues its lease's trace).
   */
  async record(report: LeaseReport, traceparent?: string): Promise<ReportRecorded> {
    this.progress.forget(report.token);
    const commandId = derivedCommandId(`task-lease-report:${report.token}:${report.outcome}`);
    const { state, events } = await fenced(() => this.tasks.run(this.command(report), { commandId, traceparent }));
    this.logger.log({ taskId: state!.taskId, status: state!.status, events: events.map((e) => e.type) }, 'worker report recorded');
    return { taskId: state!.taskId, status: state!.status };
  }

  private command(report: LeaseReport): Parameters<TaskCommands['run']>[0] {
    const { token } = report;
    const taskId = taskIdOfToken(token);
    switch (report.outcome) {
      case 'complete':
        return { type: 'CompleteTask', taskId, token, result: report.result };
      case 'release':
        return { type: 'ReleaseTask', taskId, token, checkpoint: report.checkpoint };
      case 'fail': {
        const retryPolicy = { baseDelayMs: this.config.RETRY_BASE_DELAY_MS, maxDelayMs: this.config.RETRY_MAX_DELAY_MS };
        return { type: 'FailTask', taskId, token, error: report.error, retryable: report.retryable ?? true, retryPolicy, jitter: Math.random() };
      }
    }
  }
}

/** An unknown task behind a well-formed token is a lost lease too: the worker must stop either way. */
export async function fenced<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not-found') throw conflict('LeaseLost', `lease is not held: ${error.message}`);
    throw error;
  }
}
