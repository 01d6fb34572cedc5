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
  const batches: number[][] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-subscriber-'));
    const log = openSqlite(join(dir, 'events.sqlite'));
    const projections = openSqlite(join(dir, 'projections.sqlite'));
    events = new SqliteEventStore(log, systemClock, { pollIntervalMs: 20 });
    checkpoints = new SqliteCheckpointStore(projections);
    seen.length = 0;
    batches.length = 0;
    close = async () => {
      await events.close();
      log.close();
      projections.close();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterEach(() => close());

  const subscriber = (batchWindowMs = 0) =>
    new CheckpointedSubscriber({
      name: 'test.subscriber',
      events,
      checkpoints,
      batchWindowMs,
      handle: async (batch) => {
        seen.push(...batch);
        batches.push(batch.map((e) => (e.data as { n: number }).n));
      },
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

  describe('with a batch window', () => {
    it('handles the first event after a quiet spell at once, then lets the next ones gather into one batch', async () => {
      const s = subscriber(1_000);
      await s.start();
      await events.append('s-1', [event(1)], 'no_stream');
      await eventually(
        () => batches.length,
        (n) => n === 1,
      );
      // Three appends, three commits: without the window each would be read (and handled) on its own.
      for (const n of [2, 3, 4]) await events.append(`s-${n}`, [event(n)], 'no_stream');
      expect(batches).toEqual([[1]]);
      await eventually(
        () => batches.length,
        (n) => n === 2,
        { what: 'the gathered batch' },
      );
      expect(batches).toEqual([[1], [2, 3, 4]]);
      await s.stop();
    });

    it('reads on without waiting after a full batch (catching up)', async () => {
      await events.append(
        's-0',
        Array.from({ length: 150 }, (_, n) => event(n)),
        'no_stream',
      );
      const s = subscriber(60_000);
      await s.start();
      await eventually(
        () => seen.length,
        (n) => n === 150,
      );
      await events.append('s-1', [event(150)], 'no_stream');
      // Well inside the window: a wait after the catch-up batch would hold it for a minute.
      await eventually(
        () => seen.length,
        (n) => n === 151,
        { timeoutMs: 5_000, what: 'the event after the catch-up' },
      );
      await s.stop();
    });

    it('stops without sitting out the window', async () => {
      const s = subscriber(60_000);
      await s.start();
      await events.append('s-1', [event(1)], 'no_stream');
      await eventually(
        () => batches.length,
        (n) => n === 1,
      );
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise((resolve) => (timer = setTimeout(resolve, 5_000, 'still waiting')));
      const stopped = await Promise.race([s.stop().then(() => 'stopped'), deadline]);
      clearTimeout(timer);
      expect(stopped).toBe('stopped');
    });
  });
});
