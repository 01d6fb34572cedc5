import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@herald/testing';
import { RunningHerald, call, removeDataDir, startHerald } from '../support/herald';
import { ROOT, Tarball, installedProject, npmPack, runOrThrow, strayFiles } from '../support/package-project';

/**
 * The worker SDK (libs/worker, `@herald/worker`) as a package another Node project installs:
 * built with its own tsconfig.build.json (what `npm run build:worker` runs), packed with
 * `npm pack`, installed offline into a project outside the repository, and run from plain
 * JavaScript against an embedded Herald until it completed a task. Without NestJS installed,
 * since only `@herald/worker/nest` needs it; then with it, through that subpath.
 */

const WORKER = join(ROOT, 'libs/worker');
const RUN_TIMEOUT_MS = 30_000;

describe('@herald/worker as a package another Node project installs', () => {
  let herald: RunningHerald;
  let work: string;
  let tarball: Tarball;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'herald-worker-pack-'));
    // libs/worker as it is in the repository, built into a copy of its own (so the test leaves no libs/worker/dist
    // behind): the same manifest, README and compiler settings as `npm run build:worker` and `npm pack ./libs/worker`.
    const stage = join(work, 'worker');
    cpSync(WORKER, stage, { recursive: true, filter: (source) => !source.startsWith(join(WORKER, 'dist')) });
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    await runOrThrow('tsc -p libs/worker/tsconfig.build.json', process.execPath, [
      tsc,
      '-p',
      'libs/worker/tsconfig.build.json',
      '--outDir',
      join(stage, 'dist'),
    ]);
    tarball = await npmPack(stage, work);
    herald = await startHerald();
  }, 120_000);

  afterAll(async () => {
    await herald?.close();
    if (herald) removeDataDir(herald.dataDir);
    rmSync(work, { recursive: true, force: true });
  });

  const enqueue = async (type: string, params: unknown) => {
    const enqueued = await call(`${herald.url}/api/v1/tasks`, { method: 'POST', json: { type, params } });
    expect(enqueued.status).toBe(202);
    return enqueued.body.id as string;
  };
  const finished = (id: string) =>
    eventually(
      async () => (await call(`${herald.url}/api/v1/tasks/${id}`)).body,
      (task) => ['Completed', 'Failed', 'Cancelled'].includes(task?.status),
      { what: `task ${id} finished`, timeoutMs: 15_000 },
    );

  it('ships dist (the SDK and its Nest subpath) with the manifest and README, no sources, specs or test helpers', () => {
    expect(tarball.files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/nest/index.js', 'dist/nest/index.d.ts']),
    );
    expect(strayFiles(tarball)).toEqual([]);
    expect(tarball.files.filter((f) => f.includes('.spec.') || f.includes('testing/') || f.includes('helpers'))).toEqual([]);
  });

  it('is required from plain JavaScript without NestJS and completes an enqueued task with its result', async () => {
    const project = await installedProject(join(work, 'plain'), [tarball]);
    expect(JSON.parse(readFileSync(join(project, 'node_modules/@herald/worker/package.json'), 'utf8'))).toMatchObject({ name: '@herald/worker' });
    // The Nest peers are optional: a plain Node project gets the worker and undici, not Nest.
    expect(existsSync(join(project, 'node_modules/undici'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/@nestjs'))).toBe(false);

    const type = `packed.worker-${randomUUID().slice(0, 8)}`;
    const id = await enqueue(type, { pages: 3 });
    writeFileSync(
      join(project, 'worker.js'),
      `
      const { HeraldWorker, NonRetryableError } = require('@herald/worker');
      const worker = new HeraldWorker({
        url: process.env.HERALD_URL,
        workerId: 'plain-js',
        pollWaitMs: 1000,
        logger: false,
        // Stops (releasing nothing: the task is done) once Herald recorded the completion.
        onSettled: (report) => void worker.stop().then(() => console.log(JSON.stringify({ report, nest }))),
      });
      worker.handle(process.env.TASK_TYPE, async (ctx) => {
        if (typeof ctx.params.pages !== 'number') throw new NonRetryableError('pages is required');
        for (let page = ctx.savedCheckpoint?.page ?? 0; page < ctx.params.pages; page++) {
          await ctx.progress({ percent: Math.round((100 * (page + 1)) / ctx.params.pages) });
          await ctx.checkpoint({ page: page + 1 });
        }
        return { pages: ctx.params.pages, builtBy: ctx.workerId, attempt: ctx.attempt };
      });
      // The Nest integration is a subpath of its own: it resolves, and fails to load only because Nest is not installed.
      let nest;
      try { require('@herald/worker/nest'); nest = 'loaded'; } catch (e) { nest = { code: e.code, needs: /@nestjs\\/common/.test(e.message) }; }
      nest = { resolved: require.resolve('@herald/worker/nest').endsWith('dist/nest/index.js'), ...nest };
      worker.start().catch((e) => { console.error(e); process.exit(1); });
      `,
    );
    const ran = await runOrThrow(
      'the packed worker',
      process.execPath,
      ['worker.js'],
      project,
      { HERALD_URL: herald.url, TASK_TYPE: type },
      RUN_TIMEOUT_MS,
    );
    const out = JSON.parse(ran.stdout);
    expect(out.report).toEqual({ taskId: id, type, outcome: 'complete', recorded: true });
    expect(out.nest).toEqual({ resolved: true, code: 'MODULE_NOT_FOUND', needs: true });

    const task = await finished(id);
    expect(task).toMatchObject({
      status: 'Completed',
      result: { pages: 3, builtBy: 'plain-js', attempt: 1 },
      checkpoint: { page: 3 },
      workerId: 'plain-js',
    });
    const log = herald.streamEvents(`task-${id}`).map((e) => e.type);
    expect(log.filter((t) => t === 'TaskCompleted')).toHaveLength(1);
    expect(log.at(-1)).toBe('TaskCompleted');
  }, 120_000);

  it('with NestJS installed, @herald/worker/nest runs a @TaskHandler method of a Nest application until the task is completed', async () => {
    // A Nest application's own dependencies (the repository's versions), next to the worker.
    const project = await installedProject(join(work, 'nest'), [tarball], ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs']);
    expect(existsSync(join(project, 'node_modules/@nestjs/core'))).toBe(true);

    const type = `packed.nest-${randomUUID().slice(0, 8)}`;
    const id = await enqueue(type, { month: '2026-10' });
    // Plain JavaScript has no decorator syntax: the decorators are applied by hand, as TypeScript's output does.
    writeFileSync(
      join(project, 'nest.js'),
      `
      require('reflect-metadata');
      const { Injectable, Module } = require('@nestjs/common');
      const { NestFactory } = require('@nestjs/core');
      const { HeraldWorkerModule, TaskHandler } = require('@herald/worker/nest');

      class ReportHandlers {
        async export(ctx) { return { url: 'https://files.example/' + ctx.params.month + '.csv', by: ctx.workerId }; }
      }
      TaskHandler(process.env.TASK_TYPE)(ReportHandlers.prototype, 'export', Object.getOwnPropertyDescriptor(ReportHandlers.prototype, 'export'));
      Injectable()(ReportHandlers);

      let settled;
      const done = new Promise((resolve) => (settled = resolve));
      class AppModule {}
      Module({
        imports: [HeraldWorkerModule.forRoot({ url: process.env.HERALD_URL, workerId: 'nest-js', pollWaitMs: 1000, logger: false, onSettled: settled })],
        providers: [ReportHandlers],
      })(AppModule);

      (async () => {
        const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
        await app.init();
        const report = await done;
        await app.close();
        console.log(JSON.stringify({ report }));
      })().catch((e) => { console.error(e); process.exit(1); });
      `,
    );
    const ran = await runOrThrow(
      'the packed Nest worker',
      process.execPath,
      ['nest.js'],
      project,
      { HERALD_URL: herald.url, TASK_TYPE: type },
      RUN_TIMEOUT_MS,
    );
    expect(JSON.parse(ran.stdout).report).toEqual({ taskId: id, type, outcome: 'complete', recorded: true });
    const task = await finished(id);
    expect(task).toMatchObject({ status: 'Completed', result: { url: 'https://files.example/2026-10.csv', by: 'nest-js' }, workerId: 'nest-js' });
  }, 120_000);
});
