/** The channel of a notification that names none. */
export const DEFAULT_CHANNEL = 'general';

export const MAX_CHANNEL_LENGTH = 200;

/**
 * Visible characters only, any script: no whitespace, no control or format
 * characters, no lone surrogates, and no comma, which separates channels in
 * the `channel` filters (`?channel=a,b` of the list and of the live feed).
 */
const VISIBLE = /^[^\s\p{C},]+$/u;

/** Returns why `value` cannot be a channel, or null when it can. */
export function channelProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CHANNEL_LENGTH || !VISIBLE.test(value)) {
    return `channel must be 1-${MAX_CHANNEL_LENGTH} visible characters without spaces or commas (such as general, task:3f6b2a0e-… or team-billing)`;
  }
  return null;
}
