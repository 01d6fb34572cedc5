import { Injectable, Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { TaskContext, abortReason } from '@herald/worker';
import { TaskHandler } from '@herald/worker/nest';
import { REPORT_EXPORT, ReportParams, ReportResult } from '../config';

/** Builds a report page by page, saving a checkpoint after each, so any worker can carry on after a pause or a crash. */
@Injectable()
export class ReportHandlers {
  private readonly logger = new Logger('Reports');

  @TaskHandler(REPORT_EXPORT)
  async export(ctx: TaskContext<ReportParams, { page: number }>): Promise<ReportResult | undefined> {
    const { month, pages, pageMs = 0, failWhileFileExists } = ctx.params;
    if (failWhileFileExists && existsSync(failWhileFileExists)) throw new Error(`the archive for ${month} is not ready yet`);
    const firstPage = ctx.savedCheckpoint?.page ?? 0;
    this.logger.log(`report ${ctx.taskId}: pages ${firstPage}..${pages} (attempt ${ctx.attempt})`);
    for (let page = firstPage; page < pages; page++) {
      if (ctx.signal.aborted) {
        this.logger.log(`report ${ctx.taskId}: stopped at page ${page} (${abortReason(ctx.signal)?.kind})`);
        return undefined; // the SDK releases the lease with the last checkpoint
      }
      await new Promise((resolve) => setTimeout(resolve, pageMs)); // the work of one page
      await ctx.checkpoint({ page: page + 1 });
      await ctx.progress({ percent: Math.round((100 * (page + 1)) / pages) });
    }
    return { url: `https://files.example/${month}.csv`, firstPage, builtBy: ctx.workerId };
  }
}
