import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Decider, DomainEvent, fold } from '@herald/kernel';
import { EVENT_STORE, EventStore, HandleCommandOptions, HandleCommandResult, handleCommand } from '@herald/event-store';

/** What the command path needs to know about an aggregate type. */
export interface AggregateType<S, C, E extends DomainEvent> {
  readonly decider: Decider<S, C, E>;
  readonly streamOf: (id: string) => string;
  readonly isEvent: (event: { type: string }) => boolean;
}

export type RunOptions<S = unknown> = Partial<Omit<HandleCommandOptions<S>, 'isEvent'>>;

/**
 * Every capability's commands go through here: load the aggregate's stream,
 * decide, append at the revision read (handleCommand). A command id is drawn
 * when the caller has none (an HTTP request without an idempotency key).
 */
@Injectable()
export class CommandRunner {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

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
    });
  }

  /** The aggregate as it stands, and the revision to expect when appending a decision made on it later (after I/O). */
  async load<S, C, E extends DomainEvent>(aggregate: AggregateType<S, C, E>, id: string): Promise<{ state: S; revision: number | 'no_stream' }> {
    const recorded = await this.events.readStream(aggregate.streamOf(id));
    const events = recorded.filter(aggregate.isEvent).map((e) => ({ type: e.type, version: e.version, data: e.data }) as E);
    return { state: fold(aggregate.decider, events), revision: recorded.length === 0 ? 'no_stream' : recorded[recorded.length - 1].revision };
  }
}
