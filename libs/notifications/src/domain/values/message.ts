export const MAX_MESSAGE_LENGTH = 2_000;

/** Returns why `value` cannot be a notification's message, or null when it can. */
export function messageProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_MESSAGE_LENGTH) {
    return `message must be a string of 1-${MAX_MESSAGE_LENGTH} characters`;
  }
  return null;
}
