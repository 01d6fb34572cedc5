import { JSONType, RecordedEvent as EsdbRecordedEvent, jsonEvent } from '@eventstore/db-client';
import { EventToAppend, LogPosition, RecordedEvent } from '../event-store.port';

/**
 * EventStoreDB has no slot for a schema version, so it rides in the event's
 * metadata under this key and is taken out again on read. Not `$`-prefixed:
 * such keys are the server's (its projections read $correlationId).
 */
export const VERSION_METADATA_KEY = 'herald.version';

export function toEventData(event: EventToAppend) {
  return jsonEvent({
    // Absent, the client makes up a v4. Given, the server recognises a re-append (idempotency).
    id: event.id?.toLowerCase(),
    type: event.type,
    // Herald's data is JSON-serialisable by contract; the client types it narrower.
    data: event.data as JSONType,
    metadata: { ...event.metadata, [VERSION_METADATA_KEY]: event.version },
  });
}

export function toRecordedEvent(event: EsdbRecordedEvent, position: LogPosition): RecordedEvent {
  // metadata is undefined when none was written, and bytes when it was not JSON.
  const stored = isRecord(event.metadata) ? event.metadata : {};
  const { [VERSION_METADATA_KEY]: version, ...metadata } = stored;
  return {
    id: event.id,
    stream: event.streamId,
    revision: Number(event.revision),
    position,
    type: event.type,
    version: typeof version === 'number' ? version : 1,
    data: event.data,
    metadata,
    recordedAt: event.created,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
