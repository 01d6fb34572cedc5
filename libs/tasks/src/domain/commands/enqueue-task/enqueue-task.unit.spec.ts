import { deciderSpecification } from '@herald/testing';
import { taskDecider } from '../../task-decider';
import { EnqueueTask } from './enqueue-task';
import { HISTORY, ID, T0, at, enqueued, iso } from '../fixtures.unit-helpers';

const spec = deciderSpecification(taskDecider);
const command = (overrides: Partial<EnqueueTask> = {}): EnqueueTask => ({
  type: 'EnqueueTask',
  taskId: ID,
  taskType: 'report.render',
  params: { reportId: 42 },
  owner: 'team-a',
  tags: ['nightly'],
  priority: 0,
  runAt: null,
  maxAttempts: 3,
  heartbeatTimeoutMs: 30_000,
  now: T0,
  ...overrides,
});
const YEAR = 365 * 24 * 3600 * 1000;

describe('EnqueueTask', () => {
  it('enqueues a task due at once when no runAt is given', () => {
    spec.given([]).when(command()).then([enqueued()]);
  });

  it('enqueues a task due later with millisecond runAt', () => {
    spec
      .given([])
      .when(command({ runAt: new Date('2026-11-23T10:30:00.123Z') }))
      .then([enqueued({ runAt: '2026-11-23T10:30:00.123Z' })]);
  });

  it('stores missing params as null and a missing schedule as nulls', () => {
    spec
      .given([])
      .when(command({ params: undefined }))
      .then([enqueued({ params: null, scheduleId: null, scheduledFor: null })]);
  });

  it('records the schedule occurrence that enqueued it', () => {
    spec
      .given([])
      .when(command({ scheduleId: 'nightly-report', scheduledFor: iso(0) }))
      .then([enqueued({ scheduleId: 'nightly-report', scheduledFor: iso(0) })]);
  });

  it('keeps owner, tags and priority as given', () => {
    spec
      .given([])
      .when(command({ owner: null, tags: [], priority: 9, maxAttempts: 50, heartbeatTimeoutMs: 600_000 }))
      .then([enqueued({ owner: null, tags: [], priority: 9, maxAttempts: 50, heartbeatTimeoutMs: 600_000 })]);
  });

  it.each(Object.keys(HISTORY) as (keyof typeof HISTORY)[])('refuses to enqueue a task that exists (%s)', (status) => {
    spec
      .given(HISTORY[status])
      .when(command())
      .thenThrows({ kind: 'conflict', code: 'TaskAlreadyExists', message: new RegExp(ID) });
  });

  it.each([
    ['an empty type', { taskType: '' }, /type must be 1-100 characters of A-Z a-z 0-9 \. _ : -/],
    ['a type of 101 characters', { taskType: 'a'.repeat(101) }, /type must be 1-100 characters/],
    ['a type with a space', { taskType: 'render report' }, /type must be 1-100 characters/],
    ['a type with a slash', { taskType: 'reports/render' }, /type must be 1-100 characters/],
    ['an empty owner', { owner: '' }, /owner must be null or a string of 1-200 characters/],
    ['an owner of 201 characters', { owner: 'o'.repeat(201) }, /owner must be null or a string of 1-200 characters/],
    ['21 tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /tags must be an array of at most 20 strings/],
    ['an empty tag', { tags: ['ok', ''] }, /tags\[1\] must be a string of 1-100 characters/],
    ['a tag of 101 characters', { tags: ['t'.repeat(101)] }, /tags\[0\] must be a string of 1-100 characters/],
    ['a priority of 10', { priority: 10 }, /priority must be an integer from 0 to 9/],
    ['a negative priority', { priority: -1 }, /priority must be an integer from 0 to 9/],
    ['a fractional priority', { priority: 1.5 }, /priority must be an integer from 0 to 9/],
    ['a runAt beyond 10 years', { runAt: at(10 * YEAR + 1) }, /runAt must be within 10 years/],
    ['a runAt days in the past', { runAt: at(-24 * 3600 * 1000 - 1) }, /runAt must not be more than 24 hours in the past/],
    ['an invalid runAt', { runAt: new Date('not a date') }, /runAt must be a valid ISO-8601 date-time/],
    ['zero attempts', { maxAttempts: 0 }, /maxAttempts must be an integer from 1 to 50/],
    ['51 attempts', { maxAttempts: 51 }, /maxAttempts must be an integer from 1 to 50/],
    ['a heartbeat timeout under 1 s', { heartbeatTimeoutMs: 999 }, /heartbeatTimeoutMs must be an integer from 1000 to 600000/],
    ['a heartbeat timeout over 10 min', { heartbeatTimeoutMs: 600_001 }, /heartbeatTimeoutMs must be an integer from 1000 to 600000/],
  ])('rejects %s', (_name, overrides, message) => {
    spec.given([]).when(command(overrides)).thenThrows({ kind: 'invalid', code: 'InvalidTask', message });
  });

  it.each([
    ['a type of 100 characters of every allowed kind', { taskType: 'Az09._:-'.padEnd(100, 'x') }, { type: 'Az09._:-'.padEnd(100, 'x') }],
    ['an owner of 200 characters', { owner: 'o'.repeat(200) }, { owner: 'o'.repeat(200) }],
    [
      '20 tags of 100 characters',
      { tags: Array.from({ length: 20 }, () => 't'.repeat(100)) },
      { tags: Array.from({ length: 20 }, () => 't'.repeat(100)) },
    ],
    ['a runAt exactly 10 years ahead', { runAt: at(10 * YEAR) }, { runAt: iso(10 * YEAR) }],
    ['a runAt exactly 24 hours in the past (due at once)', { runAt: at(-24 * 3600 * 1000) }, { runAt: iso(-24 * 3600 * 1000) }],
    ['the smallest settings', { maxAttempts: 1, heartbeatTimeoutMs: 1_000 }, { maxAttempts: 1, heartbeatTimeoutMs: 1_000 }],
  ])('accepts %s', (_name, overrides, expected) => {
    spec
      .given([])
      .when(command(overrides))
      .then([enqueued(expected)]);
  });
});
