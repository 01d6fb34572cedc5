/** Returns why `value` is not an integer in [min, max], or null when it is. */
export function integerRangeProblem(field: string, value: unknown, min: number, max: number): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return `${field} must be an integer from ${min} to ${max}`;
  }
  return null;
}

/** The first problem of several checks, or null when all pass: `firstProblem(a(), b())`. */
export function firstProblem(...problems: (string | null)[]): string | null {
  return problems.find((p) => p !== null) ?? null;
}
