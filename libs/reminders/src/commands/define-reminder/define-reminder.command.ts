import { Command } from '@nestjs/cqrs';
import { DueTime } from '../due-time/due-time.dto';

export interface DefineReminderInput extends DueTime {
  readonly address: string;
  readonly payload: unknown;
  readonly headers: Record<string, string>;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly owner: string | null;
  /** Set by an Idempotency-Key: the id the key's claim names, and the command id derived from it. */
  readonly reminderId?: string;
  readonly commandId?: string;
  /** The request's trace (RequestTraceparent): its events are filed under it. */
  readonly traceparent?: string;
}

export interface ReminderDefinedResult {
  readonly id: string;
  readonly dueAt: Date;
  readonly definedAt: Date;
}

export class DefineReminderCommand extends Command<ReminderDefinedResult> {
  constructor(readonly input: DefineReminderInput) {
    super();
  }
}
