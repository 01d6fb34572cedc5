import type { Channel } from 'amqplib';

/**
 * One channel, opened on demand and again after it closed: a reconnect
 * closes every channel, and a channel-level error (a get on a queue deleted
 * under us, a refused declare) closes just this one while the connection
 * lives on. `prepare` runs on each fresh channel before anyone uses it.
 * Messages fetched on a channel stay tied to that channel object: acking them
 * on a later one would ack someone else's delivery tag.
 */
export class ChannelSlot<C extends Channel> {
  private current: Promise<C> | null = null;

  constructor(
    private readonly open: () => Promise<C>,
    private readonly prepare: (channel: C) => Promise<void>,
    private readonly onError: (error: Error) => void,
  ) {}

  get(): Promise<C> {
    return (this.current ??= this.opened());
  }

  private opened(): Promise<C> {
    const opening: Promise<C> = (async () => {
      const channel = await this.open();
      channel.on('error', this.onError);
      channel.on('close', () => this.forget(opening));
      try {
        await this.prepare(channel);
      } catch (error) {
        await channel.close().catch(() => undefined);
        throw error;
      }
      return channel;
    })();
    opening.catch(() => this.forget(opening));
    return opening;
  }

  private forget(opening: Promise<C>): void {
    if (this.current === opening) this.current = null;
  }
}
