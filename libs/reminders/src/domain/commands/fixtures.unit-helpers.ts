import { ReminderDefinedData, reminderDefined } from '../events/reminder-events';

export const ID = '0b6f1c64-7f7b-4c59-9d3a-2f0f7d1d2a11';
export const T0 = new Date('2026-11-23T09:00:00.000Z');
export const at = (ms: number) => new Date(T0.getTime() + ms);

export const defined = (overrides: Partial<ReminderDefinedData> = {}) =>
  reminderDefined({
    reminderId: ID,
    dueAt: at(30_000).toISOString(),
    address: 'https://example.com/hook',
    payload: { hello: 'world' },
    headers: {},
    maxAttempts: 3,
    timeoutMs: 5_000,
    definedAt: T0.toISOString(),
    ...overrides,
  });
