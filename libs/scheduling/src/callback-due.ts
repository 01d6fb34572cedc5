/** "Attempt N of reminder R falls due at T": what the scheduler hands the transport and the worker consumes. */
export interface CallbackDue {
  readonly reminderId: string;
  readonly attempt: number;
  /** Epoch milliseconds. */
  readonly dueAt: number;
}

export const callbackKey = (m: Pick<CallbackDue, 'reminderId' | 'attempt'>) => `${m.reminderId}:${m.attempt}`;
