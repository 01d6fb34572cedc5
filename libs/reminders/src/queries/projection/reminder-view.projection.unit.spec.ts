import {
  callbackAttemptFailed,
  reminderCancelled,
  reminderCompleted,
  reminderDefined,
  reminderFailed,
  reminderRescheduled,
  reminderRetriggered,
  ReminderEvent,
} from '../../domain';
import { ReminderView } from '../reminder-view';
import { projectReminderView } from './reminder-view.projection';

const id = 'a3d2b1c0-0000-4000-8000-000000000001';
const t = (s: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, s));
const defined = reminderDefined({
  reminderId: id,
  dueAt: t(30).toISOString(),
  address: 'http://x.test/h',
  payload: { k: 1 },
  headers: { Authorization: 'secret' },
  maxAttempts: 2,
  timeoutMs: 1000,
  definedAt: t(0).toISOString(),
});
const failed1 = callbackAttemptFailed({
  reminderId: id,
  attempt: 1,
  error: 'HTTP 500',
  statusCode: 500,
  failedAt: t(30).toISOString(),
  nextAttemptAt: t(32).toISOString(),
});

function project(events: ReminderEvent[]): ReminderView | null {
  return events.reduce<ReminderView | null>((view, e, revision) => projectReminderView(view, e, revision, t(revision)), null);
}

describe('projectReminderView', () => {
  it('shows a defined reminder as Active with header names but not their values', () => {
    expect(project([defined])).toMatchObject({
      id,
      status: 'Active',
      attempts: 0,
      headerNames: ['Authorization'],
      createdAt: t(0).toISOString(),
      revision: 0,
    });
    expect(JSON.stringify(project([defined]))).not.toContain('secret');
  });

  it('tracks attempts, the last error and the next attempt while retrying', () => {
    expect(project([defined, failed1])).toMatchObject({
      status: 'Active',
      attempts: 1,
      lastError: 'HTTP 500',
      lastStatusCode: 500,
      nextAttemptAt: t(32).toISOString(),
      revision: 1,
    });
  });

  it('completes with the time and status code', () => {
    const done = reminderCompleted({ reminderId: id, attempt: 2, statusCode: 204, completedAt: t(33).toISOString() });
    expect(project([defined, failed1, done])).toMatchObject({
      status: 'Completed',
      attempts: 2,
      lastStatusCode: 204,
      completedAt: t(33).toISOString(),
      nextAttemptAt: null,
    });
  });

  it('fails with the last error', () => {
    const last = callbackAttemptFailed({
      reminderId: id,
      attempt: 2,
      error: 'timed out',
      statusCode: null,
      failedAt: t(35).toISOString(),
      nextAttemptAt: null,
    });
    const failed = reminderFailed({ reminderId: id, attempts: 2, lastError: 'timed out', failedAt: t(35).toISOString() });
    expect(project([defined, failed1, last, failed])).toMatchObject({
      status: 'Failed',
      attempts: 2,
      lastError: 'timed out',
      failedAt: t(35).toISOString(),
    });
  });

  it('cancels', () => {
    expect(project([defined, reminderCancelled({ reminderId: id, cancelledAt: t(5).toISOString() })])).toMatchObject({
      status: 'Cancelled',
      cancelledAt: t(5).toISOString(),
      nextAttemptAt: null,
    });
  });

  it('shows a rescheduled reminder due at the new time, keeping the attempts made', () => {
    const moved = reminderRescheduled({
      reminderId: id,
      dueAt: t(50).toISOString(),
      previousDueAt: t(32).toISOString(),
      rescheduledAt: t(31).toISOString(),
    });
    expect(project([defined, failed1, moved])).toMatchObject({
      status: 'Active',
      dueAt: t(50).toISOString(),
      nextAttemptAt: t(50).toISOString(),
      attempts: 1,
      createdAt: t(0).toISOString(),
      revision: 2,
    });
  });

  it.each([
    [
      'failed',
      [
        failed1,
        callbackAttemptFailed({ reminderId: id, attempt: 2, error: 'HTTP 500', statusCode: 500, failedAt: t(32).toISOString(), nextAttemptAt: null }),
        reminderFailed({ reminderId: id, attempts: 2, lastError: 'HTTP 500', failedAt: t(32).toISOString() }),
      ],
    ],
    ['cancelled', [reminderCancelled({ reminderId: id, cancelledAt: t(5).toISOString() })]],
  ])('shows a retriggered %s reminder Active again, due at the new time, with no attempts and nothing of the last run', (_status, ending) => {
    const again = reminderRetriggered({ reminderId: id, dueAt: t(40).toISOString(), retriggeredAt: t(40).toISOString() });
    expect(project([defined, ...ending, again])).toMatchObject({
      status: 'Active',
      dueAt: t(40).toISOString(),
      nextAttemptAt: t(40).toISOString(),
      attempts: 0,
      lastError: null,
      lastStatusCode: null,
      failedAt: null,
      cancelledAt: null,
      completedAt: null,
    });
  });

  it('ignores events of a reminder it never saw defined', () => {
    expect(project([failed1])).toBeNull();
  });
});
