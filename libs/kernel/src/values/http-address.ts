/** Returns why `value` cannot be an HTTP(S) address to call, or null when it can. */
export function httpAddressProblem(value: unknown, field = 'address', maxLength = 2048): string | null {
  if (typeof value !== 'string' || value.length === 0) return `${field} must be a non-empty string`;
  if (value.length > maxLength) return `${field} must be at most ${maxLength} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${field} must be an absolute URL such as https://example.com/hook`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${field} must use http or https`;
  if (url.username || url.password) return `${field} must not embed credentials; pass them in headers`;
  return null;
}
