import { Subscription } from '../event-store.port';

/** The live subscriptions of one adapter, so close() can stop them all. */
export class SubscriptionRegistry {
  private readonly live = new Set<Subscription>();

  /** Tracks a started subscription; stopping the returned handle also forgets it. */
  track(subscription: Subscription): Subscription {
    this.live.add(subscription);
    const live = this.live;
    return {
      get status() {
        return subscription.status;
      },
      get scannedTo() {
        return subscription.scannedTo;
      },
      async stop() {
        await subscription.stop();
        live.delete(subscription);
      },
    };
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((s) => s.stop()));
    this.live.clear();
  }
}
