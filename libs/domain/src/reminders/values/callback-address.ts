import { REMINDER_LIMITS } from './limits';

/** Returns why `address` cannot receive callbacks, or null when it can. */
export function addressProblem(address: unknown): string | null {
  if (typeof address !== 'string' || address.length === 0) return 'address must be a non-empty string';
  if (address.length > REMINDER_LIMITS.maxAddressLength) {
    return `address must be at most ${REMINDER_LIMITS.maxAddressLength} characters`;
  }
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'address must be an absolute URL such as https://example.com/hook';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'address must use http or https';
  if (url.username || url.password) return 'address must not embed credentials; pass them in headers';
  return null;
}
