import {
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

/** What capability code may set when it defines a metric: everything but where it is registered. */
export type CounterOptions<L extends string> = Omit<CounterConfiguration<L>, 'registers'>;
export type GaugeOptions<L extends string> = Omit<GaugeConfiguration<L>, 'registers'>;
export type HistogramOptions<L extends string> = Omit<HistogramConfiguration<L>, 'registers'>;

export interface MetricsOptions {
  /** prom-client's default process and Node.js metrics (CPU, memory, event-loop lag, GC, handles), unprefixed as every dashboard expects them. */
  readonly defaultMetrics: boolean;
}

/**
 * The metrics of one Herald app: its own prom-client Registry, never the
 * library's global one, so that several apps in one process (the e2e and
 * integration tests start more than one) neither collide on names nor read
 * each other's counts. Capability code defines its metrics here (platform
 * knows none of them) and keeps the returned objects; GET /metrics renders
 * the registry.
 *
 * Defining is idempotent by name: modules that each need a metric (two
 * services' worth of modules in the all-in-one) get the same object, so an
 * event is counted in one place whichever module counts it. Defining a name
 * again as another kind or with other labels is a programming error and
 * throws at start-up. Names must start with `herald_` (Prometheus
 * conventions: base units, `_total` for counters, `_seconds` for time).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly defined = new Map<string, { kind: string; labels: string; metric: unknown }>();

  constructor(options: MetricsOptions) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(options: CounterOptions<L>): Counter<L> {
    return this.define('counter', options, () => new Counter<L>({ ...options, registers: [this.registry] }));
  }

  gauge<L extends string>(options: GaugeOptions<L>): Gauge<L> {
    return this.define('gauge', options, () => new Gauge<L>({ ...options, registers: [this.registry] }));
  }

  histogram<L extends string>(options: HistogramOptions<L>): Histogram<L> {
    return this.define('histogram', options, () => new Histogram<L>({ ...options, registers: [this.registry] }));
  }

  /** The Prometheus text exposition of everything registered (collect callbacks run now). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The Content-Type matching render(): the registry's own. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private define<M>(kind: string, options: { name: string; labelNames?: readonly string[] }, create: () => M): M {
    const { name } = options;
    if (!/^herald_[a-z0-9_]+$/.test(name)) throw new Error(`metric ${JSON.stringify(name)}: Herald's metrics are named herald_<snake_case>`);
    const labels = [...(options.labelNames ?? [])].join(',');
    const known = this.defined.get(name);
    if (known) {
      if (known.kind !== kind || known.labels !== labels) {
        throw new Error(`metric ${name} is defined twice, differently: ${known.kind}{${known.labels}} and ${kind}{${labels}}`);
      }
      return known.metric as M;
    }
    const metric = create();
    this.defined.set(name, { kind, labels, metric });
    return metric;
  }
}
