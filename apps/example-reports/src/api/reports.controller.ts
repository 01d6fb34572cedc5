import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { REPORT_EXPORT, ReportParams, ReportsConfig } from '../config';

export const REPORTS_CONFIG = Symbol('REPORTS_CONFIG');

/** The fields of Herald's task view this app reads. */
interface HeraldTask {
  id: string;
  status: string;
  progress: unknown;
  result: unknown;
  error: string | null;
}

/**
 * The example's own API: it enqueues a Herald task per report and reads its
 * status back. Herald does the queueing, retries and bookkeeping; this app
 * only names the work.
 */
@Controller('reports')
export class ReportsController {
  constructor(@Inject(REPORTS_CONFIG) private readonly config: ReportsConfig) {}

  @Post()
  @HttpCode(202)
  async create(@Body() body: ReportParams & { owner?: string }) {
    const { owner, ...params } = body;
    const task = await this.herald('/api/v1/tasks', { method: 'POST', body: JSON.stringify({ type: REPORT_EXPORT, params, owner, maxAttempts: 2 }) });
    return { reportId: task.id, status: task.status };
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const task = await this.herald(`/api/v1/tasks/${id}`);
    return { reportId: task.id, status: task.status, progress: task.progress, result: task.result, error: task.error };
  }

  private async herald(path: string, init: RequestInit = {}): Promise<HeraldTask> {
    const auth: Record<string, string> = this.config.heraldApiKey ? { authorization: `Bearer ${this.config.heraldApiKey}` } : {};
    const response = await fetch(`${this.config.heraldUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', ...auth } });
    const body = (await response.json()) as HeraldTask;
    if (!response.ok) throw new Error(`Herald answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  }
}
