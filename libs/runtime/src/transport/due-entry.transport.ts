import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { DelayedDelivery, DueEntry } from '@herald/scheduling';
import { DueEntryContext } from './due-entry.context';

export interface DueEntryTransportOptions {
  /** Handlers of a topic running at once in this process. */
  readonly concurrency: (topic: string) => number;
}

/**
 * A Nest microservice transport over the DelayedDelivery port, so that a
 * consumer of due entries is an ordinary `@EventPattern('<topic>')` handler.
 * Each pattern becomes one `consume(topic)` on the port: the adapter keeps
 * its publisher confirms, batching, holding and acks. The handler's outcome
 * is awaited and a failure rethrown, so the adapter redelivers it (an
 * `@EventPattern` error otherwise ends in Nest's filter, which only logs).
 */
export class DueEntryTransport extends Server implements CustomTransportStrategy {
  constructor(
    private readonly delivery: DelayedDelivery,
    private readonly options: DueEntryTransportOptions,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [topic, handler] of this.messageHandlers) {
        await this.delivery.consume(topic, (entry) => this.run(handler, topic, entry), {
          concurrency: this.options.concurrency(topic),
        });
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async run(handler: MessageHandler, topic: string, entry: DueEntry): Promise<void> {
    const result: unknown = await handler(entry, new DueEntryContext([topic, entry]));
    // The handler's promise resolves to its result, or to an observable that errors when it threw.
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  /** The port is closed by its own module at shutdown (it may also publish for the scheduler). */
  close(): void {}

  on(): void {
    throw new Error('DueEntryTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.delivery as T;
  }
}
