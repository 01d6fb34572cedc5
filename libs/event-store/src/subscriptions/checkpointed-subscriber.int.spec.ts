import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@herald/kernel';
import { eventually } from '@herald/testing';
import { openSqlite } from '@herald/platform/sqlite/open-sqlite';
import { SqliteCheckpointStore } from '../checkpoints/sqlite/sqlite-checkpoint-store';
import { CheckpointBeyondHeadError } from '../errors';
import { RecordedEvent } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { CheckpointedSubscriber } from './checkpointed-subscriber';

const event = (n: number) => ({ type: 'SomethingHappened', version: 1, data: { n } });

// The log and the checkpoints in separate files, as the embedded service keeps
// them: the log can be lost while the projections file survives.
describe('CheckpointedSubscriber over SQLite', () => {
  let dir: string;
  let close: () => Promise<void>;
  let events: SqliteEventStore;
  let checkpoints: SqliteCheckpointStore;
  const seen: RecordedEvent[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-subscriber-'));
    const log = openSqlite(join(dir, 'events.sqlite'));
    const projections = openSqlite(join(dir, 'projections.sqlite'));
    events = new SqliteEventStore(log, systemClock, { pollIntervalMs: 20 });
    checkpoints = new SqliteCheckpointStore(projections);
    seen.length = 0;
    close = async () => {
      await events.close();
      log.close();
      projections.close();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterEach(() => close());

  const subscriber = () =>
    new CheckpointedSubscriber({
      name: 'test.subscriber',
      events,
      checkpoints,
      handle: async (batch) => void seen.push(...batch),
      onError: () => undefined,
    });

  it.each([
    ['a log that is shorter than the checkpoint', 2],
    ['an empty log', 0],
  ])('refuses to start over %s, naming subscriber, checkpoint and head', async (_n, count) => {
    for (let n = 0; n < count; n++) await events.append(`s-${n}`, [event(n)], 'no_stream');
    await checkpoints.save('test.subscriber', '1000');
    const started = subscriber().start();
    await expect(started).rejects.toBeInstanceOf(CheckpointBeyondHeadError);
    await expect(started).rejects.toMatchObject({ subscriber: 'test.subscriber', checkpoint: '1000', head: count ? String(count) : null });
    expect(seen).toEqual([]);
  });

  it('resumes from a checkpoint at the head, delivering what comes next', async () => {
    await events.append('s-1', [event(1)], 'no_stream');
    await checkpoints.save('test.subscriber', (await events.headPosition())!);
    const s = subscriber();
    await s.start();
    await events.append('s-1', [event(2)], 0);
    await eventually(
      () => seen.length,
      (n) => n === 1,
    );
    expect(seen.map((e) => e.data)).toEqual([{ n: 2 }]);
    expect(s.status).toMatchObject({ running: true, handled: 1 });
    await s.stop();
  });

  it('compares positions as numbers, not strings', () => {
    expect(events.comparePositions('9', '10')).toBeLessThan(0);
    expect(() => events.comparePositions('00000000000000000009:00000000000000000009', '10')).toThrow(/not a SQLite log position/);
  });
});
