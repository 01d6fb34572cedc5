import { BlockList, isIP } from 'node:net';

export interface Network {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/**
 * One CIDR entry (`10.0.0.0/8`, `fd00::/8`), or null when malformed. A bare
 * address is a network of one (/32 or /128): operators write single hosts
 * that way, and refusing it would only make them add the suffix by hand.
 */
export function parseNetwork(entry: string): Network | null {
  const [address, prefixText, ...rest] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return null;
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Comma-separated entries, blanks dropped (a trailing comma is not an error worth failing start-up for). */
export function splitNetworkList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** Why `entries` is not a list of CIDR networks, naming the first bad entry; null when it is. */
export function networkListProblem(entries: unknown): string | null {
  if (!Array.isArray(entries)) return 'must be a comma-separated list of CIDR networks such as 10.0.0.0/8,fd00::/8';
  const bad: unknown = (entries as unknown[]).find((entry) => typeof entry !== 'string' || parseNetwork(entry) === null);
  return bad === undefined ? null : `${JSON.stringify(bad)} is not a CIDR network such as 10.0.0.0/8 or fd00::/8`;
}

/** A BlockList holding `entries`; throws on a malformed one (configuration validated them at start-up). */
export function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const network = parseNetwork(entry);
    if (!network) throw new Error(`${JSON.stringify(entry)} is not a CIDR network`);
    list.addSubnet(network.address, network.prefix, network.family);
  }
  return list;
}
