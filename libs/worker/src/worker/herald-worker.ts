import { describeError } from '../errors';
import { HeraldClient } from '../http/herald-client';
import { ReportBatcher } from '../http/report-batcher';
import { compose, Middleware, Pipeline } from '../middleware/compose';
import { Lease, LeaseRequest, MAX_LEASES_PER_REQUEST } from '../protocol';
import { backoffDelay } from '../retry/backoff';
import { LeaseSession } from '../task/lease-session';
import { settle } from '../task/outcome';
import { TaskContext, TaskHandlerFn } from '../task/task-context';
import { sleep } from '../util/sleep';
import { HeraldWorkerOptions, resolveOptions, ResolvedOptions } from './options';

/** Lease requests a worker keeps open at once (fewer when its concurrency is 1). */
const POLLS_IN_FLIGHT = 2;

interface Running {
  session: LeaseSession;
  /** Resolves (never rejects) once the task is settled with Herald and its slot is free. */
  done: Promise<void>;
}

/**
 * Leases tasks of the registered types from Herald and runs their handlers,
 * at most `concurrency` at once. A slot stays taken until Herald has answered
 * the settle call, so the server never sees more leases than slots.
 */
export class HeraldWorker {
  readonly workerId: string;
  private readonly options: ResolvedOptions;
  private readonly client: HeraldClient;
  private readonly reports: ReportBatcher;
  private readonly handlers = new Map<string, TaskHandlerFn>();
  private readonly middleware: Middleware[] = [];
  private readonly tasks = new Map<string, Running>();
  private readonly stopController = new AbortController();
  private readonly stopRequested = new Promise<void>((resolve) =>
    this.stopController.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  private loop: Promise<void> | undefined;
  /** Slots asked for by polls in flight. */
  private reserved = 0;
  private slotWaiters: (() => void)[] = [];
  private stopped: Promise<void> | undefined;

  constructor(options: HeraldWorkerOptions) {
    this.options = resolveOptions(options);
    this.workerId = this.options.workerId;
    this.client = new HeraldClient({
      url: this.options.url,
      fetch: this.options.fetch,
      requestTimeoutMs: this.options.requestTimeoutMs,
      apiKey: this.options.apiKey,
    });
    this.reports = new ReportBatcher(this.client);
  }

  /** Tasks leased and not yet settled with Herald. */
  get running(): number {
    return this.tasks.size;
  }

  /** Adds a middleware around every handler; the first added is outermost. */
  use(middleware: Middleware): this {
    this.middleware.push(middleware);
    return this;
  }

  handle<Params = unknown, Checkpoint = unknown, Result = unknown>(type: string, handler: TaskHandlerFn<Params, Checkpoint, Result>): this {
    if (this.handlers.has(type)) throw new Error(`a handler for task type '${type}' is already registered`);
    this.handlers.set(type, handler as TaskHandlerFn);
    return this;
  }

  /** Starts leasing in the background; resolves at once. */
  async start(): Promise<void> {
    if (this.loop || this.stopped) throw new Error('a HeraldWorker starts once');
    if (this.handlers.size === 0) throw new Error('register a handler with handle() before start()');
    this.loop = this.pollLoop();
    this.options.logger.info('worker started', { workerId: this.workerId, types: [...this.handlers.keys()], concurrency: this.options.concurrency });
  }

  /**
   * Stops leasing, aborts running handlers with reason 'shutdown', and
   * resolves once each has settled and its lease was released.
   */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    // Abandons the long poll at once. A lease the server grants at that very moment lapses and is retried.
    this.stopController.abort();
    for (const { session } of this.tasks.values()) session.abort('shutdown');
    await this.loop;
    await Promise.all([...this.tasks.values()].map((task) => task.done));
    await this.client.close();
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /**
   * Two long polls at a time when slots allow, each asking for its share of
   * the free slots: while one answer travels back and the worker asks again,
   * the other is already waiting at Herald, so a task offered then is not
   * held up by a round trip. Asked-for slots are reserved, so the server
   * never sees more leases than slots.
   */
  private async pollLoop(): Promise<void> {
    await Promise.all(Array.from({ length: POLLS_IN_FLIGHT }, () => this.poll()));
  }

  private async poll(): Promise<void> {
    let failures = 0;
    for (let max; (max = await this.reserveSlots()) > 0;) {
      try {
        const leases = await this.client.lease(this.leaseRequest(max), this.stopController.signal);
        if (failures > 0) this.options.logger.info('Herald is reachable again', { failures });
        failures = 0;
        leases.forEach((lease) => this.run(lease));
      } catch (error) {
        if (this.stopping) break;
        const delayMs = backoffDelay(++failures, this.options.backoff);
        this.options.logger.warn(`leasing failed; retrying in ${delayMs} ms`, { failures, error: describeError(error) });
        await sleep(delayMs, this.stopController.signal);
      } finally {
        this.reserved -= max;
        this.slotsChanged();
      }
    }
  }

  /** Waits until slots are free and reserves this poll's share; 0 once the worker is stopping. */
  private async reserveSlots(): Promise<number> {
    const share = Math.min(Math.ceil(this.options.concurrency / POLLS_IN_FLIGHT), MAX_LEASES_PER_REQUEST);
    for (;;) {
      if (this.stopping) return 0;
      const free = this.options.concurrency - this.tasks.size - this.reserved;
      if (free > 0) {
        const max = Math.min(free, share);
        this.reserved += max;
        return max;
      }
      await Promise.race([this.stopRequested, new Promise<void>((resolve) => this.slotWaiters.push(resolve))]);
    }
  }

  /** A task settled or a poll gave back its reservation: waiting polls look again. */
  private slotsChanged(): void {
    this.slotWaiters.splice(0).forEach((resolve) => resolve());
  }

  private leaseRequest(max: number): LeaseRequest {
    return { workerId: this.workerId, types: [...this.handlers.keys()], max, waitMs: this.options.pollWaitMs };
  }

  private run(lease: Lease): void {
    const session = new LeaseSession(lease, {
      client: this.client,
      reports: this.reports,
      logger: this.options.logger,
      workerId: this.workerId,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
      backoff: this.options.backoff,
    });
    const done = this.execute(session).finally(() => {
      this.tasks.delete(lease.token);
      this.slotsChanged();
    });
    this.tasks.set(lease.token, { session, done });
  }

  private async execute(session: LeaseSession): Promise<void> {
    // Leases that arrive while stopping go straight back, unstarted.
    if (this.stopping) session.abort('shutdown');
    session.startHeartbeats();
    const settled = session.signal.aborted ? { ok: true as const, value: undefined } : await settle(() => this.pipeline()(session.context()));
    try {
      const report = await session.finish(settled);
      this.options.onSettled?.(report);
    } catch (error) {
      this.options.logger.error('unexpected error settling a task', { taskId: session.lease.taskId, error: describeError(error) });
    }
  }

  /** Built per task, so middleware and handlers added after start() apply to later tasks. */
  private pipeline(): Pipeline {
    return compose(this.middleware, (ctx) => this.dispatch(ctx));
  }

  private async dispatch(ctx: TaskContext): Promise<unknown> {
    const handler = this.handlers.get(ctx.type);
    if (!handler) throw new Error(`no handler for task type '${ctx.type}'`);
    return handler(ctx);
  }
}
