import { Controller, Inject, Logger, Optional } from '@nestjs/common';
import { Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CLOCK, Clock, fold } from '@herald/kernel';
import { EVENT_STORE, EventStore, RecordedEvent, WrongExpectedRevisionError } from '@herald/event-store';
import { CommandRunner, derivedCommandId } from '@herald/runtime';
import { ReminderCommand, isReminderEvent, reminderStream } from '../domain';
import { REMINDER } from '../reminder-aggregate';
import { HeraldConfig, Metrics, Tracing, formatTraceparent, traceOfRun } from '@herald/platform';
import { DueEntry } from '@herald/scheduling';
import { CALLBACKS_TOPIC, pendingCallback } from '../scheduling/reminder-callbacks.projection';
import { CallbackOutcome, HttpCallbackSender } from './http-callback-sender';
import { CallbackMetrics, callbackOutcomeLabel } from './callback-metrics';

/**
 * The callback worker: for each due message, rebuild the reminder, drop the
 * message if it is stale (cancelled, finished, an attempt already recorded,
 * a time the reminder was rescheduled away from), POST the pending attempt,
 * and append the outcome at the revision it loaded. Two workers racing on a
 * duplicate therefore record one outcome; the loser's conflict is dropped.
 * A throw (the log unavailable) makes the transport deliver the entry again.
 *
 * Each attempt is a client span of the trace of the request that started the
 * reminder's current run (its definition, or its latest retrigger: see
 * `startsRun`), whose `traceparent` the events of that request carry: the
 * receiver gets the attempt's span as `traceparent`, and the outcome's events
 * are filed under it, so define → fire → outcome is one trace. A run without
 * a stored trace (defined before Herald traced) gets a new one per attempt.
 */
@Controller()
export class FireCallbackController {
  private readonly logger = new Logger('CallbackWorker');

  constructor(
    private readonly commands: CommandRunner,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly sender: HttpCallbackSender,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: HeraldConfig,
    // Injected in the app (CallbackWorkerModule); a controller built by hand (specs) counts into a registry of its own.
    private readonly metrics: CallbackMetrics = new CallbackMetrics(new Metrics({ defaultMetrics: false })),
    @Optional() private readonly tracing: Tracing = Tracing.propagatingOnly(),
  ) {}

  /** A `callbacks` entry: key = reminder id, sequence = which plan of the reminder's pending attempt it stands for. */
  @EventPattern(CALLBACKS_TOPIC)
  async handle(@Payload() entry: DueEntry): Promise<void> {
    const { key: reminderId } = entry;
    const recorded = await this.events.readStream(reminderStream(reminderId));
    const state = fold(
      REMINDER.decider,
      recorded.flatMap((e) => (isReminderEvent(e) ? [e] : [])),
    );
    // The entry the scheduler holds for this reminder now (the projection's own fold): any other one was
    // planned for an attempt already recorded, a time the reminder was rescheduled away from, or a run before a retrigger.
    const planned = pendingCallback(recorded);
    if (state?.status !== 'Active' || planned?.sequence !== entry.sequence) {
      const fields = { reminderId, sequence: entry.sequence, planned: planned?.sequence ?? null, status: state?.status ?? 'unknown' };
      this.logger.debug(fields, 'stale callback message dropped');
      this.metrics.staleMessage();
      return;
    }
    const revision = recorded[recorded.length - 1].revision;
    const attempt = state.attempts + 1;
    // Lateness on the service's clock (the timeline dueAt is on), the POST's duration on the monotonic one.
    this.metrics.started(attempt, this.clock.now().getTime() - entry.dueAt);
    const span = this.startAttemptSpan(recorded, state.address, reminderId, attempt);
    const traceparent = formatTraceparent(span.spanContext());
    const sentAt = performance.now();
    const outcome = await this.sender.send({ ...state, reminderId, attempt, traceparent });
    const durationMs = performance.now() - sentAt;
    endAttemptSpan(span, outcome);
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
    let types: string[];
    try {
      // Decided on the state the POST was made on, at its revision (no second read). The command id names
      // that attempt at that revision: two workers racing on it are one command to the store, and a retriggered
      // reminder's attempt 1 is not mistaken for the first run's.
      const result = await this.commands.run(REMINDER, reminderId, command, {
        loaded: { state, revision },
        commandId: derivedCommandId(`reminder-callback-outcome:${reminderId}:${attempt}:${revision}`),
        traceparent,
      });
      types = result.events.map((e) => e.type);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error; // the transport redelivers
      this.metrics.finished(callbackOutcomeLabel(outcome.ok, null), durationMs);
      this.logger.warn(
        { reminderId, attempt },
        'reminder changed while its callback ran (cancelled, or another worker recorded it); outcome dropped',
      );
      return;
    }
    this.metrics.finished(callbackOutcomeLabel(outcome.ok, types), durationMs);
    this.logOutcome(types, reminderId, attempt, outcome, entry.dueAt, now);
  }

  /** Attributes only when spans are recorded: without an exporter an attempt's span costs an id and nothing else. */
  private startAttemptSpan(recorded: RecordedEvent[], address: string, reminderId: string, attempt: number): Span {
    const parent = traceOfRun(recorded, startsRun);
    if (!this.tracing.recording) return this.tracing.startSpan('POST', { kind: SpanKind.CLIENT, parent });
    const url = parsedUrl(address);
    return this.tracing.startSpan('POST', {
      kind: SpanKind.CLIENT,
      parent,
      // Not the URL: its path and query may hold a receiver's credentials.
      attributes: {
        'http.request.method': 'POST',
        ...(url ? { 'server.address': url.hostname, 'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80) } : {}),
        'herald.reminder.id': reminderId,
        'herald.callback.attempt': attempt,
      },
    });
  }

  private logOutcome(
    types: string[],
    reminderId: string,
    attempt: number,
    outcome: { ok: boolean; statusCode: number | null; error?: string },
    dueAt: number,
    now: Date,
  ) {
    const fields = { reminderId, attempt, statusCode: outcome.statusCode, latenessMs: now.getTime() - dueAt };
    if (outcome.ok) this.logger.log(fields, 'callback delivered; reminder completed');
    else if (types.includes('ReminderFailed'))
      this.logger.warn({ ...fields, error: outcome.error }, 'callback failed; no attempts left, reminder failed');
    else this.logger.log({ ...fields, error: outcome.error }, 'callback failed; will retry');
  }
}

/** The events that start a reminder's run: its callbacks belong to the trace of the request that appended the latest of them. */
const startsRun = (type: string) => type === 'ReminderDefined' || type === 'ReminderRetriggered';

function endAttemptSpan(span: Span, outcome: CallbackOutcome): void {
  if (!span.isRecording()) return;
  if (outcome.statusCode !== null) span.setAttribute('http.response.status_code', outcome.statusCode);
  if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
  span.end();
}

function parsedUrl(address: string): URL | null {
  try {
    return new URL(address);
  } catch {
    return null;
  }
}
