import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { VERSION_METADATA_KEY, toEventData, toRecordedEvent } from './eventstoredb-mapping';

// What the server hands back for a JSON event: data and metadata re-parsed from JSON.
function asStored(data: unknown, metadata: unknown, revision = 3n): EsdbRecordedEvent {
  return {
    streamId: 'reminder-1',
    id: '5f0c1a52-8f4e-4a0e-9d49-2f2d3f5b9a10',
    isJson: true,
    revision,
    type: 'ReminderDefined',
    created: new Date('2026-11-23T09:00:30.123Z'),
    data: JSON.parse(JSON.stringify(data)),
    metadata: metadata === undefined ? undefined : JSON.parse(JSON.stringify(metadata)),
  } as EsdbRecordedEvent;
}

describe('EventStoreDB event mapping', () => {
  it('stores the schema version in metadata and strips it back out on read', () => {
    const appended = { type: 'ReminderDefined', version: 2, data: { n: 1, list: [1, 'two', null] }, metadata: { correlationId: 'c-1' } };
    const eventData = toEventData(appended);
    expect(eventData).toMatchObject({ type: 'ReminderDefined', contentType: 'application/json', data: appended.data });
    expect(eventData.metadata).toEqual({ correlationId: 'c-1', [VERSION_METADATA_KEY]: 2 });

    const recorded = toRecordedEvent(asStored(eventData.data, eventData.metadata), 'pos');
    expect(recorded).toEqual({
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

  it('reads events written without metadata, or by other writers, as version 1 with empty metadata', () => {
    expect(toRecordedEvent(asStored({}, undefined), '')).toMatchObject({ version: 1, metadata: {} });
    expect(toRecordedEvent(asStored({}, { other: true }), '')).toMatchObject({ version: 1, metadata: { other: true } });
    const bytes = { ...asStored({}, undefined), metadata: new Uint8Array([1, 2]) } as EsdbRecordedEvent;
    expect(toRecordedEvent(bytes, '')).toMatchObject({ version: 1, metadata: {} });
  });
});
