import { LookupAddress, LookupAllOptions, lookup as dnsLookup } from 'node:dns';
import { LookupFunction, isIP } from 'node:net';
import { buildConnector } from 'undici';
import { CallbackAddressPolicy } from './callback-address-policy';

/** Why a callback was not sent; its message is what the reminder's failed attempt records. */
export class CallbackAddressRefused extends Error {
  override readonly name = 'CallbackAddressRefused';

  constructor(policy: string, host: string, ip: string) {
    super(host === ip ? `callback address refused by ${policy}: ${ip}` : `callback address refused by ${policy}: ${host} resolved to ${ip}`);
  }
}

type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `net.connect` lookup that resolves the name itself, checks every address
 * and hands the socket only what it checked: there is no second resolution
 * for a rebinding DNS server to answer differently. One refused address
 * refuses the name, rather than quietly connecting to the others: a name
 * mixing refused and allowed addresses is a misconfiguration or an attack,
 * and delivery should not depend on which family happens to connect first.
 */
export function guardedLookup(policy: CallbackAddressPolicy, resolve: Resolve = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const refused = addresses.map((a) => ({ ip: a.address, policy: policy.refusedBy(a.address) })).find((a) => a.policy !== null);
      if (refused) return callback(new CallbackAddressRefused(refused.policy!, hostname, refused.ip), '');
      // Node asks for every address when it races families (autoSelectFamily), else for one.
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * The undici connector every callback connects through. A literal IP in the
 * URL never reaches a lookup (net.connect skips it), so it is checked here;
 * names go through guardedLookup. Redirects are not followed by the sender,
 * so this is the only way a callback opens a connection.
 */
export function guardedConnector(policy: CallbackAddressPolicy, options: buildConnector.BuildOptions = {}): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: guardedLookup(policy) });
  return (target, callback) => {
    const refusedBy = isIP(target.hostname) === 0 ? null : policy.refusedBy(target.hostname);
    if (refusedBy) return callback(new CallbackAddressRefused(refusedBy, target.hostname, target.hostname), null);
    return connect(target, callback);
  };
}
