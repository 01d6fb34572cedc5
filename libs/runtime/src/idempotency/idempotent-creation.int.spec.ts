import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@herald/event-store';
import { Clock, Decider, DomainEvent } from '@herald/kernel';
import { loadConfig } from '@herald/platform';
import { AggregateType, CommandRunner } from '../commands/command-runner';
import { IDEMPOTENCY_STREAM_PREFIX } from './idempotency-record';
import { IdempotencyKey } from './idempotency-key';
import { Creation, IdempotentCreation } from './idempotent-creation';
import { recordingReply } from './recording-reply.unit-helpers';

/** The resource these tests create: a thing, created once at `no_stream`, stamped with the clock. */
interface Thing {
  thingId: string;
  name: string;
  createdAt: string;
}
type ThingCreated = DomainEvent<'ThingCreated', Thing>;
type CreateThing = { type: 'CreateThing'; thingId: string; name: string; now: Date };
const thingDecider: Decider<Thing | null, CreateThing, ThingCreated> = {
  initialState: () => null,
  evolve: (_state, event) => event.data,
  decide: ({ thingId, name, now }) => [{ type: 'ThingCreated', version: 1, data: { thingId, name, createdAt: now.toISOString() } }],
};
const THING: AggregateType<Thing | null, CreateThing, ThingCreated> = {
  decider: thingDecider,
  streamOf: (id) => `thing-${id}`,
  isEvent: (e) => e.type === 'ThingCreated',
};

/** A promise and the hand that settles it: the first request held in flight until the test lets it go. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const T0 = Date.parse('2027-03-01T09:00:00.000Z');
const IN_FLIGHT = { status: 409, response: { code: 'IdempotencyKeyInFlight' } };
const REUSED = { status: 422, response: { code: 'IdempotencyKeyReused' } };

/** IdempotentCreation with the real CommandRunner over a real SQLite log, at a clock the test moves. */
describe('IdempotentCreation over SQLite: a request in flight, a crashed one, a replay', () => {
  let db: Database.Database;
  let runner: CommandRunner;
  let idempotent: IdempotentCreation;
  let now: number;
  const config = loadConfig({});

  beforeEach(() => {
    now = T0;
    const clock: Clock = { now: () => new Date(now) };
    db = new Database(':memory:');
    runner = new CommandRunner(new SqliteEventStore(db, clock), null, clock);
    idempotent = new IdempotentCreation(runner, config, clock);
  });
  afterEach(() => db.close());

  const count = (prefix: string) => (db.prepare('SELECT COUNT(*) AS n FROM events WHERE stream LIKE ?').get(`${prefix}%`) as { n: number }).n;
  const things = () => count('thing-');
  const uses = () => count(IDEMPOTENCY_STREAM_PREFIX);
  const keyOf = (value: string, fingerprint = 'f-1'): IdempotencyKey => ({ value, owner: 'acme', kind: 'thing', fingerprint });

  /**
   * Creates a thing named `name` as a create route does; `after` runs once
   * its event is appended, before the creation returns (to hold the request
   * in flight, or make it crash there).
   */
  const thingCreation = (name: string, after: () => Promise<void> = async () => undefined) => {
    const calls = { create: 0, replay: 0 };
    const creation: Creation<Thing> & { freshId: () => string } = {
      freshId: randomUUID,
      create: async (thingId, commandId) => {
        calls.create++;
        const { state } = await runner.run(
          THING,
          thingId,
          { type: 'CreateThing', thingId, name, now: new Date(now) },
          { expected: 'no_stream', commandId },
        );
        await after();
        return state!;
      },
      replay: async (thingId) => {
        calls.replay++;
        return (await runner.load(THING, thingId)).state;
      },
      createdAtOf: (thing) => thing.createdAt,
    };
    return { creation, calls };
  };

  /** Starts a request whose creation appends its thing, then waits for `release`; resolves `appended` when the thing is in the log. */
  const heldInFlight = (key: IdempotencyKey) => {
    const appended = deferred();
    const release = deferred();
    const { creation } = thingCreation('first', async () => {
      appended.resolve();
      await release.promise;
    });
    const answer = idempotent.run(key, creation);
    return { answer, appended: appended.promise, release: release.resolve };
  };

  it('answers 409 IdempotencyKeyInFlight (Retry-After: 1) to the same request while the first is in flight, then replays it', async () => {
    const key = keyOf('k-held');
    const first = heldInFlight(key);
    await first.appended;

    const { reply, headers } = recordingReply();
    await expect(idempotent.create(key, reply, { ...thingCreation('first').creation, freshId: randomUUID })).rejects.toMatchObject(IN_FLIGHT);
    expect(headers).toEqual({ 'retry-after': '1' });

    first.release();
    const { result, replayed } = await first.answer;
    expect([result.name, replayed]).toEqual(['first', false]);

    const again = await idempotent.run(key, thingCreation('first').creation);
    expect(again).toEqual({ result, replayed: true });
    expect([things(), uses()]).toEqual([1, 1]);
  });

  it('answers 409 to another request with the key while the first is in flight (its outcome is not known yet), 422 once it is', async () => {
    const key = keyOf('k-other');
    const first = heldInFlight(key);
    await first.appended;

    const other = thingCreation('second');
    await expect(idempotent.run(keyOf('k-other', 'f-2'), other.creation)).rejects.toMatchObject(IN_FLIGHT);
    expect(other.calls.create).toBe(0);

    first.release();
    await first.answer;
    await expect(idempotent.run(keyOf('k-other', 'f-2'), thingCreation('second').creation)).rejects.toMatchObject(REUSED);
    expect([things(), uses()]).toEqual([1, 1]);
  });

  it('finishes a request that crashed between creating and recording, once it is older than IDEMPOTENCY_IN_FLIGHT_MS', async () => {
    const key = keyOf('k-crashed');
    const crashed = thingCreation('first', async () => {
      throw new Error('the process died here');
    });
    await expect(idempotent.run(key, crashed.creation)).rejects.toThrow('the process died here');
    expect([things(), uses()]).toEqual([1, 0]);

    // Within the window it cannot be told from one still running.
    now = T0 + config.IDEMPOTENCY_IN_FLIGHT_MS - 1;
    await expect(idempotent.run(key, thingCreation('first').creation)).rejects.toMatchObject(IN_FLIGHT);

    // Past it, the retry is the same command (recognised, not created again), and the use is recorded now.
    now = T0 + config.IDEMPOTENCY_IN_FLIGHT_MS;
    const retry = await idempotent.run(key, thingCreation('first').creation);
    // Answered as the creation this retry completed (not a replay), with the thing as first created.
    expect(retry).toEqual({ result: { thingId: expect.any(String), name: 'first', createdAt: new Date(T0).toISOString() }, replayed: false });
    expect([things(), uses()]).toEqual([1, 1]);

    const again = await idempotent.run(key, thingCreation('first').creation);
    expect(again).toEqual({ result: retry.result, replayed: true });
    expect([things(), uses()]).toEqual([1, 1]);
  });

  it('refuses another request with the key of a crashed one past the window (422), writing nothing', async () => {
    const key = keyOf('k-crashed-other');
    const crashed = thingCreation('first', async () => {
      throw new Error('the process died here');
    });
    await expect(idempotent.run(key, crashed.creation)).rejects.toThrow('the process died here');

    now = T0 + config.IDEMPOTENCY_IN_FLIGHT_MS;
    await expect(idempotent.run(keyOf('k-crashed-other', 'f-2'), thingCreation('second').creation)).rejects.toMatchObject(REUSED);
    expect([things(), uses()]).toEqual([1, 0]);
  });

  it('costs a request without a key nothing but its creation, and a first keyed one a single look more', async () => {
    const unkeyed = thingCreation('plain');
    await idempotent.create(null, recordingReply().reply, { ...unkeyed.creation, freshId: randomUUID });
    expect(unkeyed.calls).toEqual({ create: 1, replay: 0 });

    const keyed = thingCreation('keyed');
    const { replayed } = await idempotent.run(keyOf('k-first'), keyed.creation);
    expect([replayed, keyed.calls]).toEqual([false, { create: 1, replay: 1 }]);
    expect([things(), uses()]).toEqual([2, 1]);
  });
});
