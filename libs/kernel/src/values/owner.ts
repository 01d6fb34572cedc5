/** Longest owner name: a team, a tenant, a service, an account id. */
export const MAX_OWNER_LENGTH = 200;

/** Returns why `value` cannot be a resource's owner, or null when it can (null: no owner). */
export function ownerProblem(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_OWNER_LENGTH) {
    return `owner must be null or a string of 1-${MAX_OWNER_LENGTH} characters`;
  }
  return null;
}
