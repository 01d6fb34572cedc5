import { redactScheduleEvent, redactTarget } from './schedule-feed';

const target = { reminder: { address: 'https://example.com/hook', headers: { Authorization: 'Bearer s3cret', 'X-Team': 'ops' } } };
const redacted = { reminder: { address: 'https://example.com/hook', headers: { Authorization: '[redacted]', 'X-Team': '[redacted]' } } };

describe('schedule events as the API shows them', () => {
  it("redacts a reminder target's header values in every event that carries one, and a PATCH's new target", () => {
    expect(redactScheduleEvent('ScheduleCreated', { scheduleId: 's', target })).toEqual({ scheduleId: 's', target: redacted });
    expect(redactScheduleEvent('OccurrenceFired', { scheduleId: 's', scheduledFor: 't', target })).toEqual({
      scheduleId: 's',
      scheduledFor: 't',
      target: redacted,
    });
    expect(redactScheduleEvent('ScheduleUpdated', { scheduleId: 's', changes: { cron: '* * * * *', target } })).toEqual({
      scheduleId: 's',
      changes: { cron: '* * * * *', target: redacted },
    });
  });

  it('leaves task targets, targets without headers and events without targets as they are', () => {
    const task = { task: { type: 'sync', params: { a: 1 } } };
    expect(redactTarget(task)).toBe(task);
    const plain = { reminder: { address: 'https://example.com/hook' } };
    expect(redactTarget(plain)).toBe(plain);
    const paused = { scheduleId: 's', note: 'x' };
    expect(redactScheduleEvent('SchedulePaused', paused)).toBe(paused);
    expect(redactScheduleEvent('SchedulePaused', null)).toBeNull();
  });
});
