import { Logger } from '@nestjs/common';
import { RecordedEvent, WrongExpectedRevisionError } from '@herald/event-store';
import { Clock, DomainError } from '@herald/kernel';
import { HeraldConfig, Tracing, formatTraceparent } from '@herald/platform';
import { REMINDER } from '@herald/reminders';
import { CommandRunner, ProjectionDefinition, derivedCommandId } from '@herald/runtime';
import {
  OccurrenceFired,
  OccurrenceWithdrawn,
  SCHEDULE,
  SCHEDULE_STREAM_PREFIX,
  ScheduleEvent,
  isScheduleEvent,
  occurrenceTargetId,
} from '@herald/schedules';
import { TASK } from '@herald/tasks';

export const OCCURRENCE_TARGETS_PROJECTION = 'process.schedule-occurrences';

const TASK_HEARTBEAT_TIMEOUT_MS = 30_000;

/** A withdrawal's cancel is decided again if the reminder or task moved meanwhile (a callback outcome, a lease). */
const CANCEL_RETRIES_ON_CONFLICT = 3;

/**
 * Carries out fired occurrences: each OccurrenceFired creates its reminder or
 * task, with an id derived from (schedule id, occurrence) at `no_stream` and a
 * command id derived the same way, so a replay, a crash between the two
 * appends or two scheduler replicas create it exactly once. Each
 * OccurrenceWithdrawn (a pause or delete before an occurrence decided ahead
 * of its time) cancels what its OccurrenceFired created, under a command id
 * derived the same way.
 *
 * Each occurrence starts a trace of its own (a root span, `schedule
 * occurrence`), under which its reminder or task is created: its callbacks
 * or leases then continue that trace. Not the trace of the request that
 * created the schedule: a schedule lives for years, and one trace per run is
 * what a trace view can show (the schedule id is an attribute of the span).
 */
export function occurrenceTargetsProjection(
  commands: CommandRunner,
  clock: Clock,
  config: HeraldConfig,
  tracing: Tracing = Tracing.propagatingOnly(),
): ProjectionDefinition {
  const logger = new Logger('ScheduleOccurrences');
  const create = async (fired: OccurrenceFired['data']) => {
    const id = occurrenceTargetId(fired.scheduleId, fired.scheduledFor);
    const span = tracing.startSpan('schedule occurrence', {
      parent: null,
      attributes: tracing.recording ? { 'herald.schedule.id': fired.scheduleId, 'herald.schedule.occurrence': fired.scheduledFor } : undefined,
    });
    try {
      await createTarget(fired, id, formatTraceparent(span.spanContext()));
    } finally {
      span.end();
    }
  };
  const createTarget = async (fired: OccurrenceFired['data'], id: string, traceparent: string) => {
    const options = { expected: 'no_stream' as const, commandId: derivedCommandId(`schedule-occurrence:${id}`), traceparent };
    const now = clock.now();
    const { scheduleId, scheduledFor, target } = fired;
    // Decided ahead of time (SCHEDULE_LEAD_MS): due at the occurrence itself; a late one (caught up) at once.
    const dueAt = Date.parse(scheduledFor) > now.getTime() ? new Date(scheduledFor) : null;
    if ('task' in target) {
      const t = target.task;
      await commands.run(
        TASK,
        id,
        {
          type: 'EnqueueTask',
          taskId: id,
          taskType: t.type,
          params: t.params ?? null,
          // The schedule's owner first: whoever may see the schedule may open what its occurrences create.
          owner: fired.owner ?? t.owner ?? null,
          tags: [...(t.tags ?? [])],
          priority: t.priority ?? 0,
          runAt: dueAt,
          maxAttempts: t.maxAttempts ?? 3,
          heartbeatTimeoutMs: TASK_HEARTBEAT_TIMEOUT_MS,
          scheduleId,
          scheduledFor,
          now,
        },
        options,
      );
    } else {
      const r = target.reminder;
      await commands.run(
        REMINDER,
        id,
        {
          type: 'DefineReminder',
          reminderId: id,
          dueAt: dueAt ?? now,
          address: r.address,
          payload: r.payload ?? null,
          headers: { ...(r.headers ?? {}) },
          maxAttempts: r.maxAttempts ?? config.DEFAULT_MAX_ATTEMPTS,
          timeoutMs: r.timeoutMs ?? config.DEFAULT_TIMEOUT_MS,
          owner: fired.owner ?? null,
          scheduleId,
          scheduledFor,
          now,
        },
        options,
      );
    }
    logger.log({ scheduleId, scheduledFor, ['task' in target ? 'taskId' : 'reminderId']: id }, 'occurrence carried out');
  };
  /** A task the rules refused never finishes: free the overlap slot its occurrence took, or the schedule would skip forever. */
  const release = (fired: OccurrenceFired['data']) =>
    commands.run(
      SCHEDULE,
      fired.scheduleId,
      { type: 'RecordRunFinished', scheduleId: fired.scheduleId, scheduledFor: fired.scheduledFor, now: clock.now() },
      { retryOnConflict: 5, commandId: derivedCommandId(`schedule-occurrence-refused:${fired.scheduleId}:${fired.scheduledFor}`) },
    );
  /**
   * Cancels the reminder or task of a withdrawn occurrence. One that already
   * fired or finished (a conflict), or that was never created (its rules
   * refused it: not found), is left as it is: logged, never retried. A
   * running task is asked to stop (Cancelling), as a user's cancel would.
   */
  const withdraw = async (withdrawn: OccurrenceWithdrawn['data']) => {
    const { scheduleId, scheduledFor, reminderId, taskId } = withdrawn;
    const id = taskId ?? reminderId;
    if (!id) return; // held back by bufferOne: nothing was created
    const options = { commandId: derivedCommandId(`schedule-occurrence-withdrawn:${id}`), retryOnConflict: CANCEL_RETRIES_ON_CONFLICT };
    const now = clock.now();
    const ids = taskId ? { taskId } : { reminderId };
    try {
      if (taskId) {
        const reason = `schedule ${withdrawn.reason} before this occurrence`;
        await commands.run(TASK, taskId, { type: 'CancelTask', taskId, reason, now }, options);
      } else await commands.run(REMINDER, id, { type: 'CancelReminder', reminderId: id, now }, options);
      logger.log({ scheduleId, scheduledFor, ...ids, reason: withdrawn.reason }, 'withdrawn occurrence cancelled');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      logger.log({ scheduleId, scheduledFor, ...ids, error: error.message }, 'withdrawn occurrence left as it is');
    }
  };
  return {
    name: OCCURRENCE_TARGETS_PROJECTION,
    // It writes commands to other streams, not a model of its own: a replay re-sends them and their derived ids make that a no-op.
    truncate: async () => undefined,
    categories: [SCHEDULE_STREAM_PREFIX],
    handle: async (events: RecordedEvent[]) => {
      await Promise.all(
        ofType(events, 'OccurrenceFired').map((e) =>
          create(e.data).catch(async (error: unknown) => {
            if (!refused(error, logger, e.data)) return;
            if ('task' in e.data.target) await release(e.data);
          }),
        ),
      );
      // After the creations: a withdrawal in the same batch cancels what its OccurrenceFired just created.
      await Promise.all(ofType(events, 'OccurrenceWithdrawn').map((e) => withdraw(e.data)));
    },
  };
}

const ofType = <T extends ScheduleEvent['type']>(events: RecordedEvent[], type: T) =>
  events.filter((e) => isScheduleEvent(e) && e.type === type) as unknown as Extract<ScheduleEvent, { type: T }>[];

/**
 * True when the target's rules refused it (checked at definition; a rule
 * changed since): logged, not retried forever. Created before (a replay,
 * another replica): false, nothing to do. Anything else is thrown (retried).
 */
function refused(error: unknown, logger: Logger, fired: OccurrenceFired['data']): boolean {
  if (error instanceof WrongExpectedRevisionError) return false;
  if (error instanceof DomainError) {
    logger.error(
      { scheduleId: fired.scheduleId, scheduledFor: fired.scheduledFor, error: error.message },
      'occurrence refused by its target’s rules',
    );
    return true;
  }
  throw error;
}
