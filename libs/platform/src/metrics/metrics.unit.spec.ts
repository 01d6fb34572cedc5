import { loadConfig } from '../config/herald-config';
import { CappedLabel } from './capped-label';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { MetricsModule } from './metrics.module';

describe('Metrics (one registry per app)', () => {
  it('keeps each app’s counts in its own registry, never the prom-client global one', async () => {
    const a = new Metrics({ defaultMetrics: false });
    const b = new Metrics({ defaultMetrics: false });
    a.counter({ name: 'herald_things_total', help: 'things' }).inc(3);
    b.counter({ name: 'herald_things_total', help: 'things' }).inc(1);
    expect(await a.render()).toContain('herald_things_total 3');
    expect(await b.render()).toContain('herald_things_total 1');
    const { register } = await import('prom-client');
    expect(register.getSingleMetric('herald_things_total')).toBeUndefined();
  });

  it('hands the same metric to every module that defines it, so an event counts once whoever counts it', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const first = metrics.counter({ name: 'herald_tasks_total', help: 'tasks', labelNames: ['type', 'status'] });
    const second = metrics.counter({ name: 'herald_tasks_total', help: 'tasks', labelNames: ['type', 'status'] });
    expect(second).toBe(first);
    first.inc({ type: 'a', status: 'Queued' });
    second.inc({ type: 'a', status: 'Queued' });
    expect(await metrics.render()).toContain('herald_tasks_total{type="a",status="Queued"} 2');
  });

  it('refuses a name defined again as another kind or with other labels, and names outside herald_*', () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.counter({ name: 'herald_x_total', help: 'x', labelNames: ['a'] });
    expect(() => metrics.gauge({ name: 'herald_x_total', help: 'x', labelNames: ['a'] })).toThrow(
      'metric herald_x_total is defined twice, differently: counter{a} and gauge{a}',
    );
    expect(() => metrics.counter({ name: 'herald_x_total', help: 'x', labelNames: ['b'] })).toThrow(/counter\{a\} and counter\{b\}/);
    expect(() => metrics.counter({ name: 'things_total', help: 'x' })).toThrow(/named herald_<snake_case>/);
  });

  it('adds the default process metrics only when asked, and renders with the registry’s content type', async () => {
    const withDefaults = await new Metrics({ defaultMetrics: true }).render();
    expect(withDefaults).toMatch(/^process_cpu_seconds_total \d/m);
    expect(withDefaults).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(await new Metrics({ defaultMetrics: false }).render()).not.toContain('process_cpu_seconds_total');
    expect(new Metrics({ defaultMetrics: false }).contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});

describe('CappedLabel (client-chosen label values)', () => {
  it('keeps the first `max` values, reports later ones as the overflow value, and never renames a kept one', () => {
    const types = new CappedLabel(2, '(other)');
    expect(['a', 'b', 'c', 'a', 'd', 'b'].map((t) => types.value(t))).toEqual(['a', 'b', '(other)', 'a', '(other)', 'b']);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new CappedLabel(0)).toThrow(RangeError);
    expect(() => new CappedLabel(1.5)).toThrow(RangeError);
    expect(new CappedLabel(1).overflow).toBe('other');
  });
});

describe('the metrics knobs', () => {
  it('default to metrics on and 100 task types, and read false/0 and numbers from the environment', () => {
    const defaults = loadConfig({});
    expect([defaults.METRICS_ENABLED, defaults.METRICS_TASK_TYPES_MAX]).toEqual([true, 100]);
    const set = loadConfig({ METRICS_ENABLED: 'false', METRICS_TASK_TYPES_MAX: '5' });
    expect([set.METRICS_ENABLED, set.METRICS_TASK_TYPES_MAX]).toEqual([false, 5]);
    expect(() => loadConfig({ METRICS_TASK_TYPES_MAX: '0' })).toThrow(/METRICS_TASK_TYPES_MAX="0"/);
  });

  it('leave GET /metrics out when disabled, and keep Metrics injectable for the capabilities either way', () => {
    const on = MetricsModule.forRoot(loadConfig({}));
    const off = MetricsModule.forRoot(loadConfig({ METRICS_ENABLED: 'false' }));
    expect([on.controllers, off.controllers]).toEqual([[MetricsController], []]);
    expect([on.exports, off.exports]).toEqual([[Metrics], [Metrics]]);
  });
});
