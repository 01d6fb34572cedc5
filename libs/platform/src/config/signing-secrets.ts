/** How the Standard Webhooks spec serialises a symmetric secret: `whsec_<base64 of the key>`. */
export const SIGNING_SECRET_PREFIX = 'whsec_';

// The spec's table: "Random. At least 24 bytes (192 bits, 512 maximum)".
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
// Padded, standard alphabet: what the spec's own libraries decode (an unpadded secret would
// sign here yet fail in every receiver using them).
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `whsec_a, whsec_b` → the list; an empty item stays in it, so that it is reported rather than ignored. */
export const toSecretList = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value !== '' ? value.split(',').map((s) => s.trim()) : undefined;

/**
 * Why one configured secret is unusable, or null. Never quotes the secret:
 * this message ends up on stderr and in log collectors.
 */
export function signingSecretProblem(secret: string): string | null {
  if (secret === '') return 'is empty (a stray comma?)';
  if (!secret.startsWith(SIGNING_SECRET_PREFIX)) return `does not start with "${SIGNING_SECRET_PREFIX}" (the form is whsec_<base64>)`;
  const encoded = secret.slice(SIGNING_SECRET_PREFIX.length);
  if (encoded === '' || !BASE64.test(encoded)) return `is not valid padded base64 after "${SIGNING_SECRET_PREFIX}"`;
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    return `decodes to ${bytes} bytes; the spec asks for ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} (make one with: echo "whsec_$(openssl rand -base64 32)")`;
  }
  return null;
}

/** Every problem of a secret list, each naming the secret by position (1-based), or null. */
export function signingSecretsProblem(secrets: unknown): string | null {
  if (!Array.isArray(secrets)) return 'must be a comma-separated list of whsec_<base64> secrets';
  const problems = secrets.flatMap((secret: unknown, i) => {
    const problem = signingSecretProblem(String(secret));
    return problem ? [`secret ${i + 1} of ${secrets.length} ${problem}`] : [];
  });
  return problems.length > 0 ? problems.join('; ') : null;
}
