import { ScheduleEvent } from './domain';
import { occurrenceOutcomes } from './schedule-metrics';

const at = '2027-01-04T08:00:00.000Z';
const fired = (manual = false): ScheduleEvent => ({
  type: 'OccurrenceFired',
  version: 1,
  data: { scheduleId: 's', scheduledFor: at, firedAt: at, manual, target: { reminder: { address: 'http://r' } } },
});
const skipped: ScheduleEvent = {
  type: 'OccurrenceSkipped',
  version: 1,
  data: { scheduleId: 's', scheduledFor: at, reason: 'overlap', skippedAt: at },
};
const buffered: ScheduleEvent = { type: 'OccurrenceBuffered', version: 1, data: { scheduleId: 's', scheduledFor: at, bufferedAt: at } };
const missed = (count: number): ScheduleEvent => ({
  type: 'OccurrencesMissed',
  version: 1,
  data: { scheduleId: 's', scheduledFor: [at], count, from: at, to: at, recordedAt: at },
});
const withdrawn: ScheduleEvent = {
  type: 'OccurrenceWithdrawn',
  version: 1,
  data: { scheduleId: 's', scheduledFor: at, reason: 'paused', withdrawnAt: at, firedAt: at, reminderId: 'r' },
};
const planned: ScheduleEvent = { type: 'NextRunPlanned', version: 1, data: { scheduleId: 's', nextRunAt: null } };

describe('occurrenceOutcomes (what herald_schedule_occurrences_total counts per decision)', () => {
  it('counts each fired, skipped and buffered occurrence, and every missed one an OccurrencesMissed stands for', () => {
    expect(occurrenceOutcomes([missed(250), fired(), fired(), planned])).toEqual({ missed: 250, fired: 2 });
    expect(occurrenceOutcomes([skipped, buffered, planned])).toEqual({ skipped: 1, buffered: 1 });
  });

  it('counts each occurrence a pause or delete withdrew', () => {
    expect(occurrenceOutcomes([withdrawn, withdrawn])).toEqual({ withdrawn: 2 });
  });

  it('counts a manual trigger as fired, and nothing for events that decide no occurrence', () => {
    expect(occurrenceOutcomes([fired(true)])).toEqual({ fired: 1 });
    expect(occurrenceOutcomes([planned])).toEqual({});
  });
});
