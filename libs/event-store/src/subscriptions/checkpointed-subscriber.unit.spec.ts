import { SubscriptionFailedError } from '../errors';
import { EventStore, SubscriptionStatus } from '../event-store.port';
import { CheckpointedSubscriber } from './checkpointed-subscriber';

describe('CheckpointedSubscriber status', () => {
  function subscriberOver(status: SubscriptionStatus) {
    const events = {
      subscribeToAll: () => ({ status, stop: async () => undefined }),
      headPosition: async () => null,
    } as unknown as EventStore;
    const checkpoints = { load: async () => null, save: async () => undefined, ping: async () => undefined };
    return new CheckpointedSubscriber({ name: 'test.subscriber', events, checkpoints, handle: async () => undefined, onError: () => undefined });
  }

  it('reports a running subscription', async () => {
    const subscriber = subscriberOver({ state: 'running' });
    expect(subscriber.status).toEqual({ running: false, position: null, handled: 0 });
    await subscriber.start();
    expect(subscriber.status).toEqual({ running: true, position: null, handled: 0 });
  });

  it('throws, naming the subscriber and the cause, once the adapter gave up: a health probe returning it reports down', async () => {
    const denied = new Error('access denied');
    const subscriber = subscriberOver({ state: 'failed', error: denied });
    await subscriber.start();
    expect(() => subscriber.status).toThrow(SubscriptionFailedError);
    expect(() => subscriber.status).toThrow('subscription of test.subscriber has stopped for good: access denied');
  });
});
