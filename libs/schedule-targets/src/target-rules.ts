import { firstProblem, integerRangeProblem } from '@herald/kernel';
import { CallbackAddressPolicy, REMINDER_LIMITS, addressProblem, headersProblem } from '@herald/reminders';
import { ScheduleTargetRules } from '@herald/schedules';
import { maxAttemptsProblem, ownerProblem, priorityProblem, tagsProblem, taskTypeProblem } from '@herald/tasks';

const field = (prefix: string, problem: string | null) => (problem === null ? null : `target.${prefix}: ${problem}`);

/** A schedule's target checked by the reminder and task rules themselves (one definition of each rule). */
export const scheduleTargetRules: ScheduleTargetRules = {
  problem(target: unknown): string | null {
    const t = target as { reminder?: Record<string, unknown>; task?: Record<string, unknown> };
    if (t?.reminder !== undefined) {
      const r = t.reminder;
      if (!r || typeof r !== 'object') return 'target.reminder must be an object with an address';
      return firstProblem(
        field('reminder', addressProblem(r.address)),
        field('reminder', r.headers === undefined ? null : headersProblem(r.headers)),
        field(
          'reminder',
          r.maxAttempts === undefined
            ? null
            : integerRangeProblem('maxAttempts', r.maxAttempts, REMINDER_LIMITS.minAttempts, REMINDER_LIMITS.maxAttempts),
        ),
        field(
          'reminder',
          r.timeoutMs === undefined
            ? null
            : integerRangeProblem('timeoutMs', r.timeoutMs, REMINDER_LIMITS.minTimeoutMs, REMINDER_LIMITS.maxTimeoutMs),
        ),
        unknownFields('reminder', r, ['address', 'payload', 'headers', 'maxAttempts', 'timeoutMs']),
      );
    }
    if (t?.task !== undefined) {
      const k = t.task;
      if (!k || typeof k !== 'object') return 'target.task must be an object with a type';
      return firstProblem(
        field('task', taskTypeProblem(k.type)),
        field('task', k.owner === undefined ? null : ownerProblem(k.owner)),
        field('task', k.tags === undefined ? null : tagsProblem(k.tags)),
        field('task', k.priority === undefined ? null : priorityProblem(k.priority)),
        field('task', k.maxAttempts === undefined ? null : maxAttemptsProblem(k.maxAttempts)),
        unknownFields('task', k, ['type', 'params', 'owner', 'tags', 'priority', 'maxAttempts']),
      );
    }
    return 'target must be exactly one of { "reminder": { address, … } } or { "task": { type, … } }';
  },
};

/**
 * The rules above plus the operator's callback address policy, which depends
 * on configuration: a reminder target whose address is a refused literal IP
 * would fail every occurrence, so the schedule is refused instead.
 */
export function scheduleTargetRulesWith(policy: CallbackAddressPolicy): ScheduleTargetRules {
  return {
    problem(target: unknown): string | null {
      const problem = scheduleTargetRules.problem(target);
      if (problem !== null) return problem;
      const reminder = (target as { reminder?: { address?: unknown } } | null)?.reminder;
      return reminder ? field('reminder', policy.literalAddressProblem(reminder.address)) : null;
    },
  };
}

function unknownFields(prefix: string, value: Record<string, unknown>, known: string[]): string | null {
  const stray = Object.keys(value).filter((k) => !known.includes(k));
  return stray.length === 0 ? null : `target.${prefix}: property ${stray[0]} should not exist (known: ${known.join(', ')})`;
}
