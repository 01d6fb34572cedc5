import { occurrenceFired, occurrenceTargetId, occurrenceWithdrawn } from '../domain';
import { runsOf, toRunResponse } from './schedule-runs';

const scheduleId = 'c0ffee00-0000-4000-8000-000000000001';
const scheduledFor = '2027-01-04T08:00:00.000Z';
const firedAt = '2027-01-04T07:59:58.500Z';
const withdrawnAt = '2027-01-04T07:59:59.000Z';
const targetId = occurrenceTargetId(scheduleId, scheduledFor);

describe('runsOf (the runs view of GET /api/v1/schedules/:id/runs)', () => {
  it('records a withdrawn occurrence on the row its firing wrote, keeping when it was decided and what it created', () => {
    const [fired] = runsOf(
      occurrenceFired({ scheduleId, scheduledFor, firedAt, manual: false, target: { reminder: { address: 'http://r.internal/hook' } } }),
      3,
    );
    const [withdrawn] = runsOf(occurrenceWithdrawn({ scheduleId, scheduledFor, reason: 'paused', withdrawnAt, firedAt, reminderId: targetId }), 5);
    expect(withdrawn.id).toBe(fired.id);
    expect(withdrawn).toEqual({ ...fired, revision: 5, outcome: 'withdrawn' });
    expect(toRunResponse(withdrawn)).toEqual({ scheduledFor, firedAt, outcome: 'withdrawn', manual: false, reminderId: targetId });
  });

  it("names a task target's task, and nothing for a buffered occurrence that never fired", () => {
    const [task] = runsOf(occurrenceWithdrawn({ scheduleId, scheduledFor, reason: 'deleted', withdrawnAt, firedAt, taskId: targetId }), 7);
    expect(toRunResponse(task)).toEqual({ scheduledFor, firedAt, outcome: 'withdrawn', manual: false, taskId: targetId });
    const [buffered] = runsOf(occurrenceWithdrawn({ scheduleId, scheduledFor, reason: 'paused', withdrawnAt }), 8);
    expect(toRunResponse(buffered)).toEqual({ scheduledFor, firedAt: null, outcome: 'withdrawn', manual: false });
  });
});
