/** Null for a name the runtime's time zone database knows (aliases such as `UTC` included), else what to fix. */
export function timeZoneProblem(value: unknown): string | null {
  const rule = 'timeZone must be an IANA time zone name such as Europe/Berlin or UTC';
  if (typeof value !== 'string' || value.length === 0 || value.length > 100) return rule;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return null;
  } catch {
    return `${rule}; ${JSON.stringify(value)} is not one`;
  }
}
