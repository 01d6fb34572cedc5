import { deciderSpecification } from '@herald/testing';
import { scheduleCreated } from '../events/schedule-events';
import { scheduleDecider } from '../schedule-decider';
import { CreateSchedule } from './create-schedule';
import { HOUR, ID, REMINDER_SPEC, at, created, iso } from './fixtures.unit-helpers';

const spec = deciderSpecification(scheduleDecider);
const create = (changes: Partial<CreateSchedule['spec']> = {}, paused = false): CreateSchedule => ({
  type: 'CreateSchedule',
  scheduleId: ID,
  spec: { ...REMINDER_SPEC, ...changes },
  owner: 'shop',
  paused,
  now: at(10 * 60_000),
});
const createdWith = (changes: Partial<CreateSchedule['spec']>, nextRunAt: string | null, paused = false) =>
  scheduleCreated({ scheduleId: ID, ...REMINDER_SPEC, ...changes, owner: 'shop', paused, nextRunAt, createdAt: iso(10 * 60_000) });

describe('CreateSchedule', () => {
  it('creates an active schedule whose first run is the next occurrence', () => {
    spec
      .given([])
      .when(create())
      .then([createdWith({}, iso(HOUR))]);
  });

  it('creates a paused schedule with no run planned', () => {
    spec
      .given([])
      .when(create({}, true))
      .then([createdWith({}, null, true)]);
  });

  it('starts at startAt, counting an occurrence exactly at it', () => {
    spec
      .given([])
      .when(create({ startAt: iso(5 * HOUR) }))
      .then([createdWith({ startAt: iso(5 * HOUR) }, iso(5 * HOUR))]);
  });

  it('reads the pattern in its time zone', () => {
    spec
      .given([])
      .when(create({ cron: '0 9 * * *', timeZone: 'Europe/Berlin' }))
      .then([createdWith({ cron: '0 9 * * *', timeZone: 'Europe/Berlin' }, '2027-01-01T08:00:00.000Z')]);
  });

  it('refuses a schedule that would never fire, an end before its start, a bad pattern and an unknown zone', () => {
    spec
      .given([])
      .when(create({ endAt: iso(30 * 60_000) }))
      .thenThrows({ kind: 'invalid', message: /would never fire/ });
    spec
      .given([])
      .when(create({ startAt: iso(5 * HOUR), endAt: iso(2 * HOUR) }))
      .thenThrows({ kind: 'invalid', message: /endAt must be after startAt/ });
    spec
      .given([])
      .when(create({ cron: '0 25 * * *' }))
      .thenThrows({ kind: 'invalid', message: /cron must be 5 fields/ });
    spec
      .given([])
      .when(create({ timeZone: 'Berlin' }))
      .thenThrows({ kind: 'invalid', message: /timeZone must be an IANA time zone name/ });
  });

  it('refuses to create a schedule twice', () => {
    spec.given([created()]).when(create()).thenThrows({ kind: 'conflict', code: 'ScheduleExists' });
  });
});
