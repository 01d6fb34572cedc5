import { BlockList, isIP } from 'node:net';
import { HeraldConfig, blockListOf } from '@herald/platform';

/**
 * Networks no callback may reach, whatever the configuration says. Link-local
 * holds the cloud metadata endpoint (169.254.169.254), the classic SSRF prize;
 * the unspecified networks connect to this host on Linux (0.0.0.0 is
 * loopback in disguise, which would slip past a loopback deny entry);
 * multicast and broadcast are never a single receiver.
 */
const ALWAYS_REFUSED: readonly { readonly name: string; readonly networks: readonly string[] }[] = [
  { name: 'link-local', networks: ['169.254.0.0/16', 'fe80::/10'] },
  { name: 'unspecified', networks: ['0.0.0.0/8', '::/128'] },
  { name: 'multicast', networks: ['224.0.0.0/4', 'ff00::/8'] },
  { name: 'broadcast', networks: ['255.255.255.255/32'] },
];

const ALWAYS = ALWAYS_REFUSED.map(({ name, networks }) => ({ policy: `the always-refused ${name} networks`, list: blockListOf(networks) }));

export const DENY_POLICY = 'CALLBACK_DENY_NETWORKS';

/** Addresses whose answer is kept (see refusedBy). */
const MAX_DECIDED = 10_000;

/**
 * Which IP addresses a callback may connect to. The one definition of the
 * rule, used both when a reminder or schedule is defined (a literal IP in its
 * address) and when the callback worker connects (every address a name
 * resolves to). Pure: no I/O, so it is the same verdict in both places.
 *
 * Order matters and is deliberate: the always-refused networks are absolute,
 * and CALLBACK_ALLOW_NETWORKS only makes exceptions to CALLBACK_DENY_NETWORKS;
 * an allow entry covering 169.254.0.0/16 still cannot reach the metadata endpoint.
 */
export class CallbackAddressPolicy {
  private readonly deny: BlockList;
  private readonly allow: BlockList;
  private readonly decided = new Map<string, string | null>();

  constructor(deny: readonly string[] = [], allow: readonly string[] = []) {
    this.deny = blockListOf(deny);
    this.allow = blockListOf(allow);
  }

  static fromConfig(config: Pick<HeraldConfig, 'CALLBACK_DENY_NETWORKS' | 'CALLBACK_ALLOW_NETWORKS'>): CallbackAddressPolicy {
    return new CallbackAddressPolicy(config.CALLBACK_DENY_NETWORKS, config.CALLBACK_ALLOW_NETWORKS);
  }

  /**
   * The policy refusing `ip` (to name in errors), or null when a callback may
   * connect to it. Not an IP: refused. Answers are kept (the policy never
   * changes in a process, and most callbacks go to a few addresses): a
   * BlockList check builds SocketAddress objects each time, which was ~5 % of
   * the define path's CPU at 3,000 reminders a second.
   */
  refusedBy(ip: string): string | null {
    const known = this.decided.get(ip);
    if (known !== undefined) return known;
    const policy = this.decide(ip);
    if (this.decided.size >= MAX_DECIDED) this.decided.delete(this.decided.keys().next().value!); // oldest first: bounded
    this.decided.set(ip, policy);
    return policy;
  }

  private decide(ip: string): string | null {
    const forms = addressForms(ip);
    if (forms.length === 0) return 'the callback address policy (not an IP address)';
    const always = ALWAYS.find(({ list }) => covers(list, forms));
    if (always) return always.policy;
    return covers(this.deny, forms) && !covers(this.allow, forms) ? DENY_POLICY : null;
  }

  /**
   * Define time: what to fix when `address` names a refused literal IP, else
   * null. A host name is not resolved here: it may resolve differently when
   * the callback fires, and the worker checks what it resolves to then.
   * Unparsable addresses are left to the address rule's own message.
   */
  literalAddressProblem(address: unknown, field = 'address'): string | null {
    const ip = literalIpOf(address);
    const policy = ip === null ? null : this.refusedBy(ip);
    if (policy === null) return null;
    const fix = policy === DENY_POLICY ? 'call another address, or make an exception with CALLBACK_ALLOW_NETWORKS' : 'call another address';
    return `${field}: callback address refused by ${policy}: ${ip} (${fix})`;
  }
}

/** The host of a URL when it is a literal IP (IPv6 without brackets), else null. */
export function literalIpOf(address: unknown): string | null {
  if (typeof address !== 'string') return null;
  let hostname: string;
  try {
    // WHATWG URL canonicalises 0xA9FEA9FE, 2852039166 and 0251.0376… to dotted IPv4, as undici will when it connects.
    hostname = new URL(address).hostname;
  } catch {
    return null;
  }
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}

type AddressForm = { address: string; family: 'ipv4' | 'ipv6' };

/**
 * `ip`, plus its IPv4 form when it is IPv4-mapped IPv6 (::ffff:169.254.169.254,
 * also written ::ffff:a9fe:a9fe or 0:0:0:0:0:ffff:…): a socket to it reaches
 * the IPv4 host, so it must meet the IPv4 rules whichever family the operator
 * wrote them in.
 */
function addressForms(ip: string): AddressForm[] {
  const version = isIP(ip);
  if (version === 4) return [{ address: ip, family: 'ipv4' }];
  if (version !== 6) return [];
  const mapped = mappedIpv4(ip);
  return mapped
    ? [
        { address: ip, family: 'ipv6' },
        { address: mapped, family: 'ipv4' },
      ]
    : [{ address: ip, family: 'ipv6' }];
}

const covers = (list: BlockList, forms: AddressForm[]) => forms.some((form) => list.check(form.address, form.family));

/** The IPv4 address inside an IPv4-mapped IPv6 one, else null. URL canonicalises the many spellings to ::ffff:hhhh:hhhh. */
function mappedIpv4(ip: string): string | null {
  let canonical: string;
  try {
    canonical = new URL(`http://[${ip}]/`).hostname;
  } catch {
    return null; // a zone id (fe80::1%eth0): link-local, refused on its own
  }
  const hex = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(canonical);
  if (!hex) return null;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
