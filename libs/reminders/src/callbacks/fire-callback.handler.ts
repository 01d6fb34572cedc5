import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, Clock } from '@herald/kernel';
import { ReminderCommand, decideReminder, isPendingAttempt } from '../domain';
import { WrongExpectedRevisionError } from '@herald/event-store';
import { HeraldConfig } from '@herald/platform';
import { CallbackDue, DELAYED_DELIVERY, DelayedDelivery } from '@herald/scheduling';
import { ReminderRepository } from '../reminder-repository';
import { HttpCallbackSender } from './http-callback-sender';

/**
 * The callback worker: for each due message, rebuild the reminder, drop the
 * message if it is stale (cancelled, finished, an attempt already recorded),
 * POST, and append the outcome at the revision it loaded. Two workers racing
 * on a duplicate therefore record one outcome; the loser's conflict is dropped.
 */
@Injectable()
export class FireCallbackHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger('CallbackWorker');

  constructor(
    private readonly reminders: ReminderRepository,
    private readonly sender: HttpCallbackSender,
    @Inject(DELAYED_DELIVERY) private readonly delivery: DelayedDelivery,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: HeraldConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.delivery.consume((message) => this.handle(message));
  }

  async handle(message: CallbackDue): Promise<void> {
    const { reminderId, attempt } = message;
    const { state, expected } = await this.reminders.load(reminderId);
    const status = state?.status ?? 'unknown';
    if (!isPendingAttempt(state, attempt)) {
      this.logger.debug({ reminderId, attempt, status }, 'stale callback message dropped');
      return;
    }
    const outcome = await this.sender.send({ ...state, reminderId, attempt });
    const now = this.clock.now();
    const command: ReminderCommand = outcome.ok
      ? { type: 'RecordCallbackSuccess', reminderId, attempt, statusCode: outcome.statusCode, now }
      : {
          type: 'RecordCallbackFailure',
          reminderId,
          attempt,
          error: outcome.error,
          statusCode: outcome.statusCode,
          retryAfterMs: outcome.retryAfterMs,
          retryPolicy: { baseDelayMs: this.config.RETRY_BASE_DELAY_MS, maxDelayMs: this.config.RETRY_MAX_DELAY_MS },
          jitter: Math.random(),
          now,
        };
    const events = decideReminder(command, state);
    try {
      await this.reminders.append(reminderId, events, expected);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error; // the transport redelivers
      this.logger.warn({ reminderId, attempt }, 'reminder changed while its callback ran (cancelled, or another worker recorded it); outcome dropped');
      return;
    }
    this.logOutcome(events.map((e) => e.type), reminderId, attempt, outcome, message.dueAt, now);
  }

  private logOutcome(types: string[], reminderId: string, attempt: number, outcome: { ok: boolean; statusCode: number | null; error?: string }, dueAt: number, now: Date) {
    const fields = { reminderId, attempt, statusCode: outcome.statusCode, latenessMs: now.getTime() - dueAt };
    if (outcome.ok) this.logger.log(fields, 'callback delivered; reminder completed');
    else if (types.includes('ReminderFailed')) this.logger.warn({ ...fields, error: outcome.error }, 'callback failed; no attempts left, reminder failed');
    else this.logger.log({ ...fields, error: outcome.error }, 'callback failed; will retry');
  }
}
