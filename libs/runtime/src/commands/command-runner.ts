import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock, Decider, DomainEvent, fold, systemClock } from '@herald/kernel';
import {
  EVENT_STORE,
  EventStore,
  HandleCommandOptions,
  HandleCommandResult,
  RecordedEvent,
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
  /** Whose an aggregate is, for API keys limited to one owner (OwnedBy): another owner's answers as if it did not exist. */
  readonly ownership?: {
    readonly ownerOf: (state: NonNullable<S>) => string | null;
    readonly notFound: (id: string) => Error;
  };
}

export type RunOptions<S = unknown> = Partial<Omit<HandleCommandOptions<S>, 'isEvent'>>;

/** What one command appended to one aggregate's stream, as an observer (metrics) sees it. */
export interface Appended<S, E> {
  readonly id: string;
  /** Never empty. */
  readonly events: readonly E[];
  /** The state after them. */
  readonly state: S;
}

export type AppendObserver<S, E> = (appended: Appended<S, E>) => void;

/** A command as its caller states it, before `runNow` adds the time it is decided at. */
export type WithoutClock<C> = C extends unknown ? Omit<C, 'now'> : never;

/**
 * Every capability's commands go through here: load the aggregate's stream,
 * decide, append at the revision read (handleCommand). A command id is drawn
 * when the caller has none (an HTTP request without an idempotency key).
 * The events are filed under the trace the caller names in `traceparent`:
 * an HTTP request's (its controller passes `@RequestTraceparent()`), a
 * callback attempt's, a lease's; none for a subscriber or a timer.
 */
@Injectable()
export class CommandRunner {
  private readonly observers = new Map<unknown, AppendObserver<never, never>[]>();

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

  async run<S, C, E extends DomainEvent>(
    aggregate: AggregateType<S, C, E>,
    id: string,
    command: C,
    options: RunOptions<S> = {},
  ): Promise<HandleCommandResult<S, E>> {
    const result = await handleCommand<S, C, E>(this.events, aggregate.decider, aggregate.streamOf(id), command, {
      ...options,
      commandId: options.commandId ?? randomUUID(),
      isEvent: aggregate.isEvent,
      snapshots: this.snapshotsOf(aggregate, aggregate.streamOf(id)),
    });
    if (result.events.length > 0 && !result.appliedBefore) this.notify(aggregate, { id, events: result.events, state: result.state });
    return result;
  }

  /**
   * Calls `observer`, synchronously, after each command of this process that
   * appended events to an `aggregate` stream, whoever ran it: where a
   * capability counts its events (metrics), once per event, since every
   * event is decided by exactly one command run. A command recognised as
   * applied before (HandleCommandResult.appliedBefore) is not reported again;
   * a repeat only the store recognised is (see there). An observer that
   * throws is ignored: counting never fails a command.
   */
  observe<S, C, E extends DomainEvent>(aggregate: AggregateType<S, C, E>, observer: AppendObserver<S, E>): void {
    const list = this.observers.get(aggregate) ?? [];
    list.push(observer);
    this.observers.set(aggregate, list);
  }

  private notify<S, C, E extends DomainEvent>(aggregate: AggregateType<S, C, E>, appended: Appended<S, E>): void {
    const list = this.observers.get(aggregate) as AppendObserver<S, E>[] | undefined;
    if (!list) return;
    for (const observer of list) {
      try {
        observer(appended);
      } catch {
        // Ignored: see observe().
      }
    }
  }

  /**
   * The aggregate as it stands, and the revision to expect when appending a
   * decision made on it later (after I/O); `recorded`: the stored events read
   * (those after the snapshot, for an aggregate that keeps snapshots), for
   * what only their metadata holds (the trace they were appended in).
   */
  async load<S, C, E extends DomainEvent>(
    aggregate: AggregateType<S, C, E>,
    id: string,
  ): Promise<{ state: S; revision: number | 'no_stream'; recorded: RecordedEvent[] }> {
    const stream = aggregate.streamOf(id);
    const snapshot = (await this.snapshotsOf(aggregate, stream)?.load()) ?? null;
    const recorded = await this.events.readStream(stream, snapshot ? { fromRevision: snapshot.revision + 1 } : {});
    const events = recorded.filter(aggregate.isEvent).map((e) => ({ type: e.type, version: e.version, data: e.data }) as E);
    const state = snapshot ? events.reduce(aggregate.decider.evolve, snapshot.state) : fold(aggregate.decider, events);
    const last = recorded[recorded.length - 1];
    return { state, revision: last ? last.revision : (snapshot?.revision ?? 'no_stream'), recorded };
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
