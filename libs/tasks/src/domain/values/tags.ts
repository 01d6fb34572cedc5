import { TASK_LIMITS } from './limits';

/** Returns why `value` cannot be a task's tags, or null when it can. */
export function tagsProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length > TASK_LIMITS.maxTags) return `tags must be an array of at most ${TASK_LIMITS.maxTags} strings`;
  const bad = value.findIndex((tag) => typeof tag !== 'string' || tag.length === 0 || tag.length > TASK_LIMITS.maxTagLength);
  if (bad >= 0) return `tags[${bad}] must be a string of 1-${TASK_LIMITS.maxTagLength} characters`;
  return null;
}
