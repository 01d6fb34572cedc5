import { reminderDecider } from '../../reminder-decider';
import { deciderSpecification } from '@herald/testing';
import { DefineReminder } from './define-reminder';
import { ID, T0, at, defined } from '../fixtures.unit-helpers';

const spec = deciderSpecification(reminderDecider);
const command = (overrides: Partial<DefineReminder> = {}): DefineReminder => ({
  type: 'DefineReminder',
  reminderId: ID,
  dueAt: at(30_000),
  address: 'https://example.com/hook',
  payload: { hello: 'world' },
  headers: {},
  maxAttempts: 3,
  timeoutMs: 5_000,
  now: T0,
  ...overrides,
});

describe('DefineReminder', () => {
  it('defines a new reminder with millisecond dueAt', () => {
    spec
      .given([])
      .when(command({ dueAt: new Date('2026-11-23T09:00:30.123Z') }))
      .then([defined({ dueAt: '2026-11-23T09:00:30.123Z' })]);
  });

  it('stores a missing payload as null so the callback body is stable', () => {
    spec
      .given([])
      .when(command({ payload: undefined }))
      .then([defined({ payload: null })]);
  });

  it('records the schedule occurrence that defined it', () => {
    const scheduled = { scheduleId: 'c0ffee00-0000-4000-8000-000000000001', scheduledFor: '2026-11-23T09:00:30.000Z' };
    spec
      .given([])
      .when(command(scheduled))
      .then([defined(scheduled)]);
  });

  it('refuses to define the same reminder twice', () => {
    spec.given([defined()]).when(command()).thenThrows({ kind: 'conflict', code: 'ReminderAlreadyDefined' });
  });

  it.each([
    ['a non-http address', { address: 'ftp://example.com/x' }, /address must use http or https/],
    ['a relative address', { address: '/hook' }, /absolute URL/],
    ['credentials in the address', { address: 'https://u:p@example.com/' }, /credentials/],
    ['a delay beyond 10 years', { dueAt: at(11 * 365 * 24 * 3600 * 1000) }, /within 10 years/],
    ['a dueAt days in the past', { dueAt: at(-3 * 24 * 3600 * 1000) }, /24 hours in the past/],
    ['zero attempts', { maxAttempts: 0 }, /maxAttempts must be an integer from 1 to 50/],
    ['a tiny timeout', { timeoutMs: 5 }, /timeoutMs must be an integer from 100/],
    ['a reserved header', { headers: { 'Idempotency-Key': 'x' } }, /reserved/],
    ['a header with a newline', { headers: { 'X-A': 'a\r\nb' } }, /CR, LF/],
  ])('rejects %s', (_name, overrides, message) => {
    spec.given([]).when(command(overrides)).thenThrows({ kind: 'invalid', message });
  });

  it('accepts a dueAt slightly in the past: it fires at once', () => {
    spec
      .given([])
      .when(command({ dueAt: at(-1_000) }))
      .then([defined({ dueAt: at(-1_000).toISOString() })]);
  });
});
