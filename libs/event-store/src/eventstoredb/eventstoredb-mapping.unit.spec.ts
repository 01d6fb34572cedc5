import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { VERSION_METADATA_KEY, toEventData, toRecordedEvent } from './eventstoredb-mapping';

// What the server hands back for a JSON event: data and metadata re-parsed from JSON.
function asStored(data: unknown, metadata: unknown, id = '5f0c1a52-8f4e-4a0e-9d49-2f2d3f5b9a10', revision = 3n): EsdbRecordedEvent {
  return {
    streamId: 'reminder-1',
    id,
    isJson: true,
    revision,
    type: 'ReminderDefined',
    created: new Date('2026-11-23T09:00:30.123Z'),
    data: JSON.parse(JSON.stringify(data)),
    metadata: metadata === undefined ? undefined : JSON.parse(JSON.stringify(metadata)),
  };
}

describe('EventStoreDB event mapping', () => {
  it('stores the schema version in metadata and strips it back out on read; the id goes through', () => {
    const id = 'a3c1f0e2-5b8d-4c1a-9e7f-0d2b4c6e8a10';
    const appended = {
      id: id.toUpperCase(),
      type: 'ReminderDefined',
      version: 2,
      data: { n: 1, list: [1, 'two', null] },
      metadata: { correlationId: 'c-1' },
    };
    const eventData = toEventData(appended);
    expect(eventData).toMatchObject({ id, type: 'ReminderDefined', contentType: 'application/json', data: appended.data });
    expect(eventData.metadata).toEqual({ correlationId: 'c-1', [VERSION_METADATA_KEY]: 2 });

    const recorded = toRecordedEvent(asStored(eventData.data, eventData.metadata, eventData.id), 'pos');
    expect(recorded).toEqual({
      id,
      stream: 'reminder-1',
      revision: 3,
      position: 'pos',
      type: 'ReminderDefined',
      version: 2,
      data: appended.data,
      metadata: { correlationId: 'c-1' },
      recordedAt: new Date('2026-11-23T09:00:30.123Z'),
    });
  });

  it('lets the client make up an id when the event has none', () => {
    const a = toEventData({ type: 'T', version: 1, data: {} });
    const b = toEventData({ type: 'T', version: 1, data: {} });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
  });

  it('reads events written without metadata, or by other writers, as version 1 with empty metadata', () => {
    expect(toRecordedEvent(asStored({}, undefined), '')).toMatchObject({ version: 1, metadata: {} });
    expect(toRecordedEvent(asStored({}, { other: true }), '')).toMatchObject({ version: 1, metadata: { other: true } });
    const bytes = { ...asStored({}, undefined), metadata: new Uint8Array([1, 2]) } as EsdbRecordedEvent;
    expect(toRecordedEvent(bytes, '')).toMatchObject({ version: 1, metadata: {} });
  });
});
