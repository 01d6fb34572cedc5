import { eventually } from '@herald/testing';
import { call } from '../support/herald';
import { exampleWorkerScenarios } from '../support/tasks-sdk-scenarios';
import { EMBEDDED } from '../support/tasks-stack';

/**
 * Real worker processes running the SDK (the example app in worker mode)
 * against the all-in-one Herald: competing, paused and resumed elsewhere,
 * cancelled, killed mid-task, failing and retriggered (the same scenarios run
 * over RabbitMQ in full-stack-tasks.e2e). Each test starts and stops its own
 * Herald and workers.
 */
describe('the worker SDK in real worker processes (example app, both modes)', () => {
  const h = exampleWorkerScenarios(EMBEDDED);

  it('enqueues through the example API and builds the report in an example worker', async () => {
    const api = await h.start('api');
    await h.worker('w-1');
    const created = await call(`${api.url}/reports`, { method: 'POST', json: { month: '2026-10', pages: 3 } });
    expect(created.status).toBe(202);
    const done = await eventually(
      () => call(`${api.url}/reports/${created.body.reportId}`),
      (r) => r.body.status === 'Completed',
      { what: 'report built' },
    );
    expect(done.body.result).toEqual({ url: 'https://files.example/2026-10.csv', firstPage: 0, builtBy: 'w-1' });
  });
});
