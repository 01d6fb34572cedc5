import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { eventually } from '@herald/testing';
import { TaskContext } from '../task/task-context';
import { FakeHerald, startFakeHerald, whenAborted } from '../testing/fake-herald.int-helpers';
import { HeraldWorker } from '../worker/herald-worker';
import { HeraldWorkerModule } from './herald-worker.module';
import { TaskHandler } from './task-handler.decorator';

@Injectable()
class ReportService {
  format(month: string): string {
    return `https://files/${month}.csv`;
  }
}

@Injectable()
class ReportHandlers {
  constructor(private readonly reports: ReportService) {}

  @TaskHandler('report.export')
  async export(ctx: TaskContext<{ month: string }>): Promise<{ url: string }> {
    return { url: this.reports.format(ctx.params.month) }; // `this` is the provider instance
  }

  @TaskHandler('report.long')
  async long(ctx: TaskContext): Promise<void> {
    await whenAborted(ctx.signal);
  }

  notAHandler(): void {}
}

@Module({ providers: [ReportService, ReportHandlers] })
class ReportsModule {}

describe('HeraldWorkerModule', () => {
  let herald: FakeHerald;

  beforeEach(async () => {
    herald = await startFakeHerald();
  });

  afterEach(async () => {
    await herald.close();
  });

  it('runs @TaskHandler methods from the application, starting on bootstrap and releasing on close', async () => {
    const seen: string[] = [];
    const moduleRef = await Test.createTestingModule({
      imports: [
        HeraldWorkerModule.forRoot({
          url: herald.url,
          concurrency: 2,
          pollWaitMs: 1_000,
          heartbeatIntervalMs: 50,
          logger: false,
          middleware: [async (ctx, next) => (seen.push(ctx.type), next())],
        }),
        ReportsModule,
      ],
    }).compile();
    const app = await moduleRef.init();

    const exportId = herald.add('report.export', { month: '2024-05' });
    const longId = herald.add('report.long');
    await eventually(
      () => herald.task(exportId).status,
      (s) => s === 'completed',
      { what: 'export completed' },
    );
    expect(herald.task(exportId).result).toEqual({ url: 'https://files/2024-05.csv' });
    expect(herald.leaseCalls[0].body.types.sort()).toEqual(['report.export', 'report.long']);

    await eventually(
      () => herald.task(longId).status,
      (s) => s === 'leased',
    );
    await app.close();
    expect(herald.task(longId).status).toBe('released');
    expect(app.get(HeraldWorker).running).toBe(0);
    expect(seen.sort()).toEqual(['report.export', 'report.long']);
  });

  it('builds its options with forRootAsync', async () => {
    @Module({ providers: [{ provide: 'HERALD_URL', useValue: herald.url }], exports: ['HERALD_URL'] })
    class ConfigModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        HeraldWorkerModule.forRootAsync({
          imports: [ConfigModule],
          inject: ['HERALD_URL'],
          useFactory: (url: string) => ({ url, pollWaitMs: 1_000, logger: false }),
        }),
        ReportsModule,
      ],
    }).compile();
    const app = await moduleRef.init();

    const exportId = herald.add('report.export', { month: '2024-06' });
    await eventually(
      () => herald.task(exportId).status,
      (s) => s === 'completed',
    );
    await app.close();
  });
});
