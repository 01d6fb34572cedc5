import { EventStoreDBClient, START } from '@eventstore/db-client';
import type { Position, ReadAllOptions } from '@eventstore/db-client';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { encodePosition } from './eventstoredb-position';

/**
 * eventsBetween against a stand-in for the client's readAll: the counting
 * rules without a server (the contract suite runs them against one where
 * EVENTSTORE_URL is set).
 */
describe('EventStoreDbEventStore.eventsBetween (a stand-in $all)', () => {
  interface Stored {
    readonly stream: string;
    readonly type: string;
  }
  const at = (n: number): Position => ({ commit: BigInt(n * 100), prepare: BigInt(n * 100) });
  const pos = (n: number) => encodePosition(at(n));

  /** The log: index n sits at position n * 100; `inclusive` says whether a read from a position hands over the event there. */
  function storeOver(log: Stored[], { inclusive = true } = {}) {
    const reads: { options: ReadAllOptions; handed: number; cancelled: boolean }[] = [];
    const client = {
      readAll(options: ReadAllOptions = {}) {
        const from = options.fromPosition;
        const start = from === undefined || from === START ? 0 : Number((from as Position).commit) / 100 + (inclusive ? 0 : 1);
        const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
        const read = { options, handed: 0, cancelled: false };
        reads.push(read);
        async function* events() {
          for (let n = start; n < log.length && read.handed < max && !read.cancelled; n++) {
            read.handed += 1;
            yield { event: { streamId: log[n].stream, type: log[n].type, position: at(n) } };
          }
        }
        return Object.assign(events(), {
          cancel: async () => {
            read.cancelled = true;
          },
        });
      },
    } as unknown as EventStoreDBClient;
    return { store: new EventStoreDbEventStore(client), reads };
  }

  const log: Stored[] = [
    { stream: 'reminder-1', type: 'ReminderDefined' }, // 0
    { stream: '$$reminder-1', type: '$metadata' }, // 1: the server's own
    { stream: 'task-1', type: 'TaskEnqueued' }, // 2
    { stream: 'reminder-2', type: 'ReminderDefined' }, // 3
    { stream: '$stats-127.0.0.1:2113', type: '$statsCollected' }, // 4
    { stream: 'reminder-1', type: 'ReminderFired' }, // 5
    { stream: 'task-1', type: 'TaskLeased' }, // 6
    { stream: 'reminder-3', type: 'ReminderDefined' }, // 7
  ];

  it.each([
    ['hands over the event at the position (inclusive)', true],
    ['starts after it (exclusive)', false],
  ])('counts strictly after `after` whether a read from a position %s', async (_n, inclusive) => {
    const { store } = storeOver(log, { inclusive });
    expect(await store.eventsBetween(pos(0), pos(7), { streamPrefixes: ['reminder-'] })).toBe(3); // 3, 5, 7
    expect(await store.eventsBetween(pos(3), pos(7), { streamPrefixes: ['reminder-'] })).toBe(2);
    expect(await store.eventsBetween(pos(7), pos(7), { streamPrefixes: ['reminder-'] })).toBe(0);
  });

  it("counts from the start when `after` is null, leaves the server's `$` events and other categories out, and stops at `until`", async () => {
    const { store, reads } = storeOver(log);
    expect(await store.eventsBetween(null, pos(5), { streamPrefixes: ['reminder-'] })).toBe(3); // 0, 3, 5
    expect(reads[0].options.fromPosition).toBe(START);
    expect(reads[0].handed).toBe(7); // up to the first past `until`, then cancelled
    expect(reads[0].cancelled).toBe(true);
    expect(await store.eventsBetween(null, pos(7), { streamPrefixes: ['reminder-', 'task-'] })).toBe(6);
    expect(await store.eventsBetween(null, pos(7))).toBe(6); // every stream, still no `$` events
    expect(await store.eventsBetween(pos(5), pos(2))).toBe(0); // `after` past `until`: nothing read
    expect(reads).toHaveLength(3);
  });

  it('examines at most scanLimit events after `after`, any stream or type, and reports what it counted so far', async () => {
    const { store, reads } = storeOver(log);
    // After 0: 1 ($metadata), 2 (task), 3 (reminder) examined, then it stops.
    expect(await store.eventsBetween(pos(0), pos(7), { streamPrefixes: ['reminder-'], scanLimit: 3 })).toBe(1);
    expect(reads[0].options.maxCount).toBe(4); // the event at `after` may come first
    expect(reads[0].cancelled).toBe(true);
    expect(await store.eventsBetween(pos(0), pos(7), { streamPrefixes: ['reminder-'], scanLimit: Infinity })).toBe(3);
    expect(reads[1].options.maxCount).toBeUndefined();
    expect(await store.eventsBetween(pos(0), pos(7), { streamPrefixes: ['reminder-'] })).toBe(3); // the default: 10,000
  });

  it("refuses another adapter's positions, empty prefixes and a bad scan limit, reading nothing", async () => {
    const { store, reads } = storeOver(log);
    await expect(store.eventsBetween('12', pos(7))).rejects.toThrow(/not an EventStoreDB log position/);
    await expect(store.eventsBetween(null, '12')).rejects.toThrow(/not an EventStoreDB log position/);
    await expect(store.eventsBetween(null, pos(7), { streamPrefixes: [] })).rejects.toThrow(/streamPrefixes/);
    await expect(store.eventsBetween(null, pos(7), { scanLimit: 0 })).rejects.toThrow(/scanLimit/);
    expect(reads).toEqual([]);
  });
});
