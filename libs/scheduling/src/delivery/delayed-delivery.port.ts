import { CallbackDue } from '../callback-due';

/**
 * Carries "callback due" messages from the scheduler to the callback
 * workers and releases each at its due time. At-least-once: a message whose
 * handler throws comes back later, and the worker drops stale duplicates.
 * Adapters: in-process/ (embedded), rabbitmq/ (full stack); all pass
 * contract/delayed-delivery.contract.ts.
 */
export const DELAYED_DELIVERY = Symbol('DELAYED_DELIVERY');

export type CallbackDueHandler = (message: CallbackDue) => Promise<void>;

export interface DelayedDelivery {
  /** True when scheduled messages outlive this process (a broker keeps them). */
  readonly durable: boolean;
  /**
   * How long before its due time a message should be handed over for the best
   * precision, or null to hand it over as early as the scheduler likes. A
   * broker whose delays lose precision with length asks for messages shortly
   * before they fall due, and its consumer holds them for the last stretch.
   */
  readonly releaseLeadMs: number | null;
  schedule(messages: readonly CallbackDue[]): Promise<void>;
  /** Starts handing due messages to `handler`, at most `concurrency` at a time. */
  consume(handler: CallbackDueHandler): Promise<void>;
  close(): Promise<void>;
}
