import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { HeraldWorkerModule } from '@herald/worker/nest';
import { REPORTS_CONFIG, ReportsController } from './api/reports.controller';
import { ReportsConfig, reportsConfig } from './config';
import { ReportHandlers } from './worker/report-handlers';

/**
 * One codebase, two modes (as AsyncRunner's apps): `APP_ENV=api` serves
 * POST/GET /reports and enqueues the work in Herald; `APP_ENV=worker` runs
 * the handlers for that work, as many processes as you like.
 */
async function main(config: ReportsConfig): Promise<void> {
  if (config.mode === 'worker') {
    @Module({
      imports: [
        HeraldWorkerModule.forRoot({
          url: config.heraldUrl,
          apiKey: config.heraldApiKey,
          concurrency: config.concurrency,
          workerId: config.workerId,
          pollWaitMs: 5_000,
        }),
      ],
      providers: [ReportHandlers],
    })
    class ReportsWorkerModule {}
    const app = await NestFactory.createApplicationContext(ReportsWorkerModule);
    app.enableShutdownHooks();
    return;
  }
  @Module({ controllers: [ReportsController], providers: [{ provide: REPORTS_CONFIG, useValue: config }] })
  class ReportsApiModule {}
  const app = await NestFactory.create(ReportsApiModule, new FastifyAdapter());
  app.enableShutdownHooks();
  await app.listen(config.port, '127.0.0.1');
}

void main(reportsConfig());
