import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Herald, HeraldNotFoundError } from '@herald/client';
import { REPORT_EXPORT, ReportParams, ReportsConfig } from '../config';

export const REPORTS_CONFIG = Symbol('REPORTS_CONFIG');

/**
 * The example's own API: it enqueues a Herald task per report and reads its
 * status back, through the TypeScript client SDK (@herald/client). Herald does
 * the queueing, retries and bookkeeping; this app only names the work.
 */
@Controller('reports')
export class ReportsController {
  private readonly herald: Herald;

  constructor(@Inject(REPORTS_CONFIG) config: ReportsConfig) {
    this.herald = new Herald({ url: config.heraldUrl, apiKey: config.heraldApiKey });
  }

  @Post()
  @HttpCode(202)
  async create(@Body() body: ReportParams & { owner?: string }) {
    const { owner, ...params } = body;
    const task = await this.herald.tasks.enqueue({ type: REPORT_EXPORT, params, owner, maxAttempts: 2 });
    return { reportId: task.id, status: task.status };
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    try {
      const task = await this.herald.tasks.get(id);
      return { reportId: task.id, status: task.status, progress: task.progress, result: task.result, error: task.error };
    } catch (error) {
      // Herald's typed refusal: an unknown report is this API's 404 too (any other refusal stays a 500).
      if (error instanceof HeraldNotFoundError) throw new NotFoundException(`report ${id} does not exist`);
      throw error;
    }
  }
}
