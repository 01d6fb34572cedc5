import { AccessDeniedError, AllStreamSubscription, UnavailableError } from '@eventstore/db-client';
import { eventually } from '@herald/testing';
import { LogPosition, RecordedEvent } from '../event-store.port';
import { encodePosition } from './eventstoredb-position';
import { EventStoreDbSubscription, isAccessDenied } from './eventstoredb-subscription';

/** A server subscription that hands over `commits` as events, then fails with `error` (or waits for unsubscribe). */
function serverSubscription(commits: bigint[], error?: Error): AllStreamSubscription {
  let unsubscribed = false;
  const fake = {
    on: () => fake,
    unsubscribe: async () => void (unsubscribed = true),
    async *[Symbol.asyncIterator]() {
      for (const commit of commits) {
        yield {
          event: {
            id: '5f0c1a52-8f4e-4a0e-9d49-2f2d3f5b9a10',
            streamId: 'reminder-1',
            revision: commit,
            type: 'T',
            created: new Date(0),
            data: {},
            metadata: {},
            isJson: true,
            position: { commit, prepare: commit },
          },
        };
      }
      if (error) throw error;
      await eventually(() => unsubscribed);
    },
  };
  return fake as unknown as AllStreamSubscription;
}

describe('EventStoreDB subscription', () => {
  const started: EventStoreDbSubscription[] = [];
  afterEach(async () => Promise.all(started.splice(0).map((s) => s.stop())));

  function subscribe(open: (after: LogPosition | null) => AllStreamSubscription) {
    const seen: RecordedEvent[] = [];
    const dropped: unknown[] = [];
    const fatal: unknown[] = [];
    const subscription = new EventStoreDbSubscription(
      open,
      async (batch) => void seen.push(...batch),
      () => undefined,
      {
        onDropped: (e) => dropped.push(e),
        onFatal: (e) => fatal.push(e),
      },
    );
    subscription.start(null);
    started.push(subscription);
    return { subscription, seen, dropped, fatal };
  }

  it('tells access denied from other errors by class or by type (its name is plain Error)', () => {
    const denied = new AccessDeniedError(undefined, 'Access denied');
    expect(denied.name).toBe('Error');
    expect(isAccessDenied(denied)).toBe(true);
    expect(isAccessDenied({ type: 'access-denied' })).toBe(true);
    expect(isAccessDenied(new UnavailableError())).toBe(false);
    expect(isAccessDenied(null)).toBe(false);
  });

  it('gives up on access denied: reports it once, stops resubscribing, and says failed', async () => {
    const denied = new AccessDeniedError(undefined, 'Access denied');
    const open = jest.fn(() => serverSubscription([], denied));
    const { subscription, dropped, fatal } = subscribe(open);
    await eventually(
      () => subscription.status.state,
      (s) => s === 'failed',
    );
    expect(subscription.status).toEqual({ state: 'failed', error: denied });
    expect(fatal).toEqual([denied]);
    expect(dropped).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // longer than the first backoff
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('resubscribes after any other error, from the last delivered position', async () => {
    const open = jest
      .fn<AllStreamSubscription, [LogPosition | null]>()
      .mockReturnValueOnce(serverSubscription([10n, 20n], new UnavailableError()))
      .mockReturnValue(serverSubscription([30n]));
    const { subscription, seen, dropped, fatal } = subscribe(open);
    await eventually(
      () => seen.length,
      (n) => n === 3,
    );
    expect(open.mock.calls.map(([after]) => after)).toEqual([null, encodePosition({ commit: 20n, prepare: 20n })]);
    expect(dropped).toEqual([expect.any(UnavailableError)]);
    expect(fatal).toEqual([]);
    expect(subscription.status).toEqual({ state: 'running' });
    await subscription.stop();
    expect(subscription.status).toEqual({ state: 'stopped' });
  });
});
