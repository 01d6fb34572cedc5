import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock, Decider, DomainEvent, fold, systemClock } from '@herald/kernel';
import {
  EVENT_STORE,
  EventStore,
  HandleCommandOptions,
  HandleCommandResult,
  SNAPSHOT_STORE,
  SnapshotSource,
  SnapshotStore,
  handleCommand,
} from '@herald/event-store';

/** What the command path needs to know about an aggregate type. */
export interface AggregateType<S, C, E extends DomainEvent> {
  readonly decider: Decider<S, C, E>;
  readonly streamOf: (id: string) => string;
  readonly isEvent: (event: { type: string }) => boolean;
  /**
   * Long-lived aggregates (a schedule gains events with every occurrence):
   * decide from a snapshot plus the events after it, saving a new one every
   * `every` events. Bump `version` when the state's shape changes: older
   * snapshots are then ignored and replaced.
   */
  readonly snapshots?: { readonly every: number; readonly version: number };
}

export type RunOptions<S = unknown> = Partial<Omit<HandleCommandOptions<S>, 'isEvent'>>;

/** A command as its caller states it, before `runNow` adds the time it is decided at. */
export type WithoutClock<C> = C extends unknown ? Omit<C, 'now'> : never;

/**
 * Every capability's commands go through here: load the aggregate's stream,
 * decide, append at the revision read (handleCommand). A command id is drawn
 * when the caller has none (an HTTP request without an idempotency key).
 */
@Injectable()
export class CommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Optional() @Inject(SNAPSHOT_STORE) private readonly snapshots: SnapshotStore | null = null,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  /** run(), deciding `command` at the current time (the service's clock). */
  runNow<S, C extends { now: Date }, E extends DomainEvent>(
    aggregate: AggregateType<S, C, E>,
    id: string,
    command: WithoutClock<C>,
    options: RunOptions<S> = {},
  ): Promise<HandleCommandResult<S, E>> {
    return this.run(aggregate, id, { ...command, now: this.clock.now() } as unknown as C, options);
  }

  run<S, C, E extends DomainEvent>(
    aggregate: AggregateType<S, C, E>,
    id: string,
    command: C,
    options: RunOptions<S> = {},
  ): Promise<HandleCommandResult<S, E>> {
    return handleCommand<S, C, E>(this.events, aggregate.decider, aggregate.streamOf(id), command, {
      ...options,
      commandId: options.commandId ?? randomUUID(),
      isEvent: aggregate.isEvent,
      snapshots: this.snapshotsOf(aggregate, aggregate.streamOf(id)),
    });
  }

  /** The aggregate as it stands, and the revision to expect when appending a decision made on it later (after I/O). */
  async load<S, C, E extends DomainEvent>(aggregate: AggregateType<S, C, E>, id: string): Promise<{ state: S; revision: number | 'no_stream' }> {
    const stream = aggregate.streamOf(id);
    const snapshot = (await this.snapshotsOf(aggregate, stream)?.load()) ?? null;
    const recorded = await this.events.readStream(stream, snapshot ? { fromRevision: snapshot.revision + 1 } : {});
    const events = recorded.filter(aggregate.isEvent).map((e) => ({ type: e.type, version: e.version, data: e.data }) as E);
    const state = snapshot ? events.reduce(aggregate.decider.evolve, snapshot.state) : fold(aggregate.decider, events);
    const last = recorded[recorded.length - 1];
    return { state, revision: last ? last.revision : (snapshot?.revision ?? 'no_stream') };
  }

  /** The aggregate's snapshots in this service's snapshot store; undefined when it keeps none. */
  private snapshotsOf<S, C, E extends DomainEvent>(aggregate: AggregateType<S, C, E>, stream: string): SnapshotSource<S> | undefined {
    const { snapshots: store } = this;
    const policy = aggregate.snapshots;
    if (!store || !policy) return undefined;
    return {
      every: policy.every,
      load: async () => {
        const snapshot = await store.load(stream);
        return snapshot && snapshot.version === policy.version ? { state: snapshot.state as S, revision: snapshot.revision } : null;
      },
      save: (state, revision) => store.save({ stream, revision, version: policy.version, state }),
    };
  }
}
