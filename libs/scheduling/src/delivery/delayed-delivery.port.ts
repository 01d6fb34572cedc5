import { DueEntry } from '../due-entry';

/**
 * Carries due entries from the scheduler to the consumers of their topic and
 * releases each at its due time. At-least-once: an entry whose handler
 * throws comes back later, and consumers drop stale duplicates (they check
 * the aggregate's stream). Adapters: in-process/ (embedded), rabbitmq/ (full
 * stack: one durable work queue per topic); all pass contract/delayed-delivery.contract.ts.
 */
export const DELAYED_DELIVERY = Symbol('DELAYED_DELIVERY');

export type DueEntryHandler = (entry: DueEntry) => Promise<void>;

export interface ConsumeOptions {
  /** Handlers of this topic running at once in this process. */
  readonly concurrency?: number;
}

export type DeliveryLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface DelayedDelivery {
  /** True when scheduled entries outlive this process (a broker keeps them). */
  readonly durable: boolean;
  /**
   * How long before its due time an entry should be handed over for the best
   * precision, or null to hand it over as early as the scheduler likes. A
   * broker whose delays lose precision with length asks for entries shortly
   * before they fall due, and its consumer holds them for the last stretch.
   */
  readonly releaseLeadMs: number | null;
  /** Each entry goes to the consumers of its own topic. */
  schedule(entries: readonly DueEntry[]): Promise<void>;
  /** Starts handing due entries of `topic` to `handler`. One consumer per topic per process. */
  consume(topic: string, handler: DueEntryHandler, options?: ConsumeOptions): Promise<void>;
  close(): Promise<void>;
}
