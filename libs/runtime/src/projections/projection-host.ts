import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { CHECKPOINT_STORE, CheckpointStore, CheckpointedSubscriber, EVENT_STORE, EventStore, LogPosition } from '@herald/event-store';
import { HealthRegistry, HeraldConfig } from '@herald/platform';
import { ParkedEvent, parkingHandler } from './parking-handler';
import { ProjectionDefinition } from './projection';

/** Provided as false by tools that only rebuild (npm run replay): definitions are registered, nothing subscribes. */
export const RUN_PROJECTIONS = Symbol('RUN_PROJECTIONS');

interface Running {
  readonly definition: ProjectionDefinition;
  readonly subscriber: CheckpointedSubscriber;
  readonly parked: ParkedEvent[];
}

/**
 * Runs every registered projection from its own checkpoint, each with a
 * health probe named after it (`/health` → info.<name>: position, handled,
 * parked). Capability modules register their definitions while the app
 * initialises; subscriptions start once every module is up.
 */
@Injectable()
export class ProjectionHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  private readonly definitions = new Map<string, ProjectionDefinition>();
  private readonly running: Running[] = [];
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    private readonly health: HealthRegistry,
    private readonly config: HeraldConfig,
    @Optional() @Inject(RUN_PROJECTIONS) private readonly run: boolean | null,
  ) {}

  /** Two projections with one name would share a checkpoint and skip each other's events: refused. */
  register(definition: ProjectionDefinition): void {
    if (this.definitions.has(definition.name)) throw new Error(`projection ${definition.name} is registered twice`);
    this.definitions.set(definition.name, definition);
  }

  all(): ProjectionDefinition[] {
    return [...this.definitions.values()];
  }

  /**
   * Each running projection, how far it has read the log
   * (CheckpointedSubscriber.readPosition) and the categories it reads: what
   * its lag is measured from, and which events count as lag.
   */
  readPositions(): { readonly name: string; readonly position: LogPosition | null; readonly categories: readonly string[] }[] {
    return this.running.map((r) => ({ name: r.definition.name, position: r.subscriber.readPosition, categories: r.definition.categories }));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.run === false) return;
    for (const definition of this.definitions.values()) await this.start(definition);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running.map((r) => r.subscriber.stop()));
  }

  private async start(definition: ProjectionDefinition): Promise<void> {
    const { name } = definition;
    const parked: ParkedEvent[] = [];
    const handle = parkingHandler(definition, {
      maxTries: this.config.PROJECTION_MAX_TRIES,
      backoffMs: this.config.PROJECTION_RETRY_BASE_MS,
      isStopped: () => this.stopped,
      storeProbe: () => this.checkpoints.ping(),
      onRetry: (err, batch, tries) =>
        this.logger.warn({ err, projection: name, from: batch[0].position, events: batch.length, tries }, `${name} failed; retrying`),
      onPark: (event) => {
        parked.push(event);
        this.logger.error(
          { projection: name, ...event },
          `${name}: event parked after ${this.config.PROJECTION_MAX_TRIES} tries; npm run replay -- --projection ${name} re-applies it once fixed`,
        );
      },
    });
    const subscriber = new CheckpointedSubscriber({
      name,
      events: this.events,
      checkpoints: this.checkpoints,
      streamPrefixes: definition.categories,
      handle,
      batchWindowMs:
        definition.gathers === 'readModel'
          ? this.config.PROJECTION_BATCH_WINDOW_MS
          : definition.gathers === 'timers'
            ? this.config.SCHEDULER_BATCH_WINDOW_MS
            : 0,
      // What does not gather is on a latency path (task starts and lease expiries, schedule occurrences).
      promptly: definition.gathers === undefined,
      // Only an outage reaches here (parking handles the rest): the subscription retries with backoff.
      onError: (err, batch) => this.logger.error({ err, projection: name, from: batch[0].position }, `${name}: store unavailable; retrying`),
    });
    await subscriber.start();
    this.running.push({ definition, subscriber, parked });
    this.health.register({ name, check: async () => ({ ...subscriber.status, parked: parked.length, lastParked: parked.at(-1) ?? null }) });
  }
}
