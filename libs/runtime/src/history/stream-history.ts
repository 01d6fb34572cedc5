import { Inject, Module } from '@nestjs/common';
import { CqrsModule, IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RecordedEvent } from '@herald/event-store';
import { TRACEPARENT_METADATA_KEY } from '@herald/platform';
import { RUNTIME_API_DOCS } from '../api-docs';

/** One aggregate's stream, in order: its audit trail. */
export class StreamHistoryQuery extends Query<RecordedEvent[]> {
  constructor(readonly stream: string) {
    super();
  }
}

/** Reads the write side on purpose: the audit trail is the log itself, not a projection of it. */
@QueryHandler(StreamHistoryQuery)
export class StreamHistoryHandler implements IQueryHandler<StreamHistoryQuery> {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  execute({ stream }: StreamHistoryQuery): Promise<RecordedEvent[]> {
    return this.events.readStream(stream);
  }
}

/**
 * The API's shape of a stream: `[{ revision, type, version, data, recordedAt, traceparent? }]`, data passed
 * through `redact`; `traceparent` (W3C) when the event was appended in a trace: where to look the trace up.
 */
export function historyResponse(events: RecordedEvent[], redact: (type: string, data: unknown) => unknown = (_t, d) => d) {
  return events.map((e) => {
    const traceparent = e.metadata[TRACEPARENT_METADATA_KEY];
    return {
      revision: e.revision,
      type: e.type,
      version: e.version,
      data: redact(e.type, e.data),
      recordedAt: e.recordedAt.toISOString(),
      ...(typeof traceparent === 'string' ? { traceparent } : {}),
    };
  });
}

/** Imported by every capability that serves an `/events` endpoint; one handler however many import it. */
@Module({ imports: [CqrsModule], providers: [StreamHistoryHandler, RUNTIME_API_DOCS] })
export class StreamHistoryModule {}
