import { truncateError } from './error-text';
import { TASK_LIMITS } from './limits';
import { ownerProblem } from './owner';
import { reasonProblem } from './reason';
import { runAtProblem } from './run-at';
import { sameJson } from './same-json';
import { tagsProblem } from './tags';
import { heartbeatTimeoutProblem, maxAttemptsProblem, priorityProblem } from './task-settings';
import { taskTypeProblem } from './task-type';
import { workerIdProblem } from './worker-id';

describe('task value checks (reusable as HTTP validators)', () => {
  it('accept good values', () => {
    expect(taskTypeProblem('billing:invoice.render_v2-a')).toBeNull();
    expect(ownerProblem(null)).toBeNull();
    expect(ownerProblem('team-a')).toBeNull();
    expect(tagsProblem([])).toBeNull();
    expect(priorityProblem(0)).toBeNull();
    expect(maxAttemptsProblem(50)).toBeNull();
    expect(heartbeatTimeoutProblem(600_000)).toBeNull();
    expect(runAtProblem(null, new Date())).toBeNull();
    expect(reasonProblem(undefined)).toBeNull();
    expect(reasonProblem(null)).toBeNull();
    expect(reasonProblem('')).toBeNull();
    expect(workerIdProblem('w')).toBeNull();
  });

  it('refuse values of the wrong JSON type, naming the field', () => {
    expect(taskTypeProblem(42)).toMatch(/^type must be/);
    expect(ownerProblem(undefined)).toMatch(/^owner must be/);
    expect(ownerProblem(7)).toMatch(/^owner must be/);
    expect(tagsProblem('nightly')).toMatch(/^tags must be an array/);
    expect(tagsProblem(['a', 3])).toBe('tags[1] must be a string of 1-100 characters');
    expect(priorityProblem('1')).toBe('priority must be an integer from 0 to 9');
    expect(maxAttemptsProblem(null)).toMatch(/^maxAttempts must be/);
    expect(heartbeatTimeoutProblem(1_000.5)).toMatch(/^heartbeatTimeoutMs must be/);
    expect(reasonProblem(5)).toMatch(/^reason must be/);
    expect(workerIdProblem(undefined)).toMatch(/^workerId must be/);
  });

  it('refuse a type with non-ASCII letters', () => {
    expect(taskTypeProblem('rapport.généré')).toBe('type must be 1-100 characters of A-Z a-z 0-9 . _ : -');
  });
});

describe('truncateError', () => {
  const max = TASK_LIMITS.maxErrorLength;

  it('keeps an error within the limit as it is', () => {
    expect(truncateError('x'.repeat(max))).toBe('x'.repeat(max));
  });

  it('cuts a longer error to the limit', () => {
    expect(truncateError('x'.repeat(max) + 'tail')).toBe('x'.repeat(max));
  });

  it('never leaves half a surrogate pair at the cut', () => {
    const error = 'x'.repeat(max - 1) + '😀' + 'tail';
    expect(truncateError(error)).toBe('x'.repeat(max - 1));
  });
});

describe('sameJson', () => {
  it.each([
    [1, 1],
    ['a', 'a'],
    [null, null],
    [
      { a: 1, b: [1, { c: 2 }] },
      { b: [1, { c: 2 }], a: 1 },
    ],
    [{ a: 1, gone: undefined }, { a: 1 }],
  ])('%j equals %j', (a, b) => {
    expect(sameJson(a, b)).toBe(true);
  });

  it.each([
    [1, 2],
    [1, '1'],
    [null, {}],
    [
      [1, 2],
      [2, 1],
    ],
    [[1], { 0: 1 }],
    [{ a: 1 }, { a: 1, b: 2 }],
    [
      { a: 1, b: 2 },
      { a: 1, c: 2 },
    ],
    [{ a: { b: 1 } }, { a: { b: 2 } }],
  ])('%j differs from %j', (a, b) => {
    expect(sameJson(a, b)).toBe(false);
  });
});
