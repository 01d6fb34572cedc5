import { createHash, timingSafeEqual } from 'node:crypto';
import { ownerProblem } from '@herald/kernel';

export const SCOPES = ['read', 'write', 'work', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** One configured key, as written in HERALD_API_KEYS or HERALD_API_KEYS_FILE. */
export interface ApiKeyEntry {
  readonly id: string;
  readonly key: string;
  readonly scopes: readonly Scope[];
  /** A key with an owner sees and acts on that owner's resources only. */
  readonly owner?: string;
}

/** Who is calling: the key's id (never the key), what it may do, and whose resources it is limited to. */
export interface Principal {
  readonly keyId: string;
  readonly scopes: ReadonlySet<Scope>;
  readonly owner: string | null;
}

/** Auth off (no keys on a loopback address, or HERALD_AUTH=off): every call may do everything. */
export const UNRESTRICTED: Principal = { keyId: 'anonymous', scopes: new Set(SCOPES), owner: null };

const MIN_KEY_CHARS = 16;

/** Why a parsed HERALD_API_KEYS value is unusable, or null. Never quotes a key. */
export function apiKeysProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'must be a JSON array of { id, key, scopes, owner? }';
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const [i, entry] of value.entries()) {
    const problem = entryProblem(entry);
    if (problem) return `key ${i + 1} of ${value.length}: ${problem}`;
    const { id, key } = entry as ApiKeyEntry;
    if (ids.has(id)) return `key ${i + 1} of ${value.length}: id ${JSON.stringify(id)} is used twice`;
    if (keys.has(key)) return `key ${i + 1} of ${value.length}: the same key is listed twice`;
    ids.add(id);
    keys.add(key);
  }
  return null;
}

function entryProblem(entry: unknown): string | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'must be an object { id, key, scopes, owner? }';
  const { id, key, scopes, owner, ...rest } = entry as Record<string, unknown>;
  const stray = Object.keys(rest);
  if (stray.length > 0) return `unknown field ${stray[0]} (known: id, key, scopes, owner)`;
  if (typeof id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) return 'id must be 1-64 letters, digits, ".", "_" or "-"';
  // Visible ASCII: header values arrive as latin1, so any other character could never match.
  if (typeof key !== 'string' || !/^[\x21-\x7e]{16,512}$/.test(key)) {
    return `key must be ${MIN_KEY_CHARS}-512 visible ASCII characters, no spaces (make one with: openssl rand -hex 32)`;
  }
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => (SCOPES as readonly unknown[]).includes(s))) {
    return `scopes must be a non-empty list of ${SCOPES.join(', ')}`;
  }
  if (owner !== undefined && (scopes as unknown[]).includes('admin'))
    return 'an admin key sees every owner: leave owner out, or give the key read/write/work scopes';
  if (owner !== undefined) return ownerProblem(owner === null ? '' : owner);
  return null;
}

/**
 * The configured keys, looked up in constant time: the presented key is
 * hashed and compared with every key's hash, so neither the comparison nor
 * the position of the match says how much of a guess was right.
 */
export class ApiKeyRing {
  private readonly entries: { readonly digest: Buffer; readonly principal: Principal }[];

  constructor(keys: readonly ApiKeyEntry[]) {
    this.entries = keys.map((k) => ({
      digest: digest(k.key),
      principal: { keyId: k.id, scopes: new Set(k.scopes.includes('admin') ? SCOPES : k.scopes), owner: k.owner ?? null },
    }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** The principal of a presented key, or null when no configured key matches. */
  find(presented: string): Principal | null {
    const given = digest(presented);
    let found: Principal | null = null;
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, given) && !found) found = entry.principal;
    return found;
  }
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();
