import { Command } from '@nestjs/cqrs';

export interface DefineReminderInput {
  /** Exactly one of `dueAt` and `delayMs` is set (the DTO enforces it). */
  readonly dueAt?: Date;
  readonly delayMs?: number;
  readonly address: string;
  readonly payload: unknown;
  readonly headers: Record<string, string>;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
}

export interface ReminderDefinedResult {
  readonly id: string;
  readonly dueAt: Date;
}

export class DefineReminderCommand extends Command<ReminderDefinedResult> {
  constructor(readonly input: DefineReminderInput) {
    super();
  }
}
