import { LookupAddress, LookupOptions } from 'node:dns';
import { CallbackAddressRefused, guardedConnector, guardedLookup } from './callback-address-guard';
import { CallbackAddressPolicy } from './callback-address-policy';

type LookupResult = { error: Error | null; address: string | LookupAddress[]; family?: number };

/** A resolver answering from a fixed table, recording what it was asked. */
function fakeResolver(table: Record<string, LookupAddress[]>) {
  const asked: { hostname: string; options: object }[] = [];
  const resolve = (hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => {
    asked.push({ hostname, options });
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, addresses);
  };
  return { resolve, asked };
}

describe('guardedLookup', () => {
  const policy = new CallbackAddressPolicy(['127.0.0.0/8', '::1/128']);
  const { resolve, asked } = fakeResolver({
    'receiver.internal': [{ address: '10.0.0.5', family: 4 }],
    'dual.internal': [
      { address: '10.0.0.5', family: 4 },
      { address: 'fd00::5', family: 6 },
    ],
    localhost: [
      { address: '::1', family: 6 },
      { address: '127.0.0.1', family: 4 },
    ],
    'rebind.example': [
      { address: '93.184.215.14', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ],
    'mapped.example': [{ address: '::ffff:169.254.169.254', family: 6 }],
  });
  const lookup = guardedLookup(policy, resolve);
  const run = (hostname: string, options: LookupOptions) =>
    new Promise<LookupResult>((done) => lookup(hostname, options, (error, address, family) => done({ error, address, family })));

  it('hands the socket the address it checked, as one address when Node asks for one', async () => {
    expect(await run('receiver.internal', { family: 0 })).toEqual({ error: null, address: '10.0.0.5', family: 4 });
  });

  it('hands every checked address when Node races families (all: true)', async () => {
    const result = await run('dual.internal', { all: true });
    expect(result.error).toBeNull();
    expect(result.address).toEqual([
      { address: '10.0.0.5', family: 4 },
      { address: 'fd00::5', family: 6 },
    ]);
  });

  it('resolves all addresses, passing on the family Node asked for', async () => {
    await run('receiver.internal', { family: 4, hints: 0 });
    expect(asked.at(-1)).toEqual({ hostname: 'receiver.internal', options: { family: 4, hints: 0, all: true } });
  });

  it('refuses a name resolving to a denied address, naming the policy, the name and the address', async () => {
    const { error } = await run('localhost', { all: true });
    expect(error).toBeInstanceOf(CallbackAddressRefused);
    expect(error!.message).toBe('callback address refused by CALLBACK_DENY_NETWORKS: localhost resolved to ::1');
  });

  it('refuses the whole name when any one of its addresses is refused', async () => {
    const { error, address } = await run('rebind.example', { all: true });
    expect(error!.message).toBe('callback address refused by the always-refused link-local networks: rebind.example resolved to 169.254.169.254');
    expect(address).toBe('');
  });

  it('refuses an IPv4-mapped answer by its IPv4 rules', async () => {
    const { error } = await run('mapped.example', { family: 0 });
    expect(error!.message).toMatch(/link-local networks: mapped\.example resolved to ::ffff:169\.254\.169\.254$/);
  });

  it('passes resolution errors on untouched', async () => {
    const { error } = await run('nowhere.invalid', {});
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('guardedConnector', () => {
  it('refuses a literal IP before connecting (net.connect would skip the lookup)', async () => {
    const connect = guardedConnector(new CallbackAddressPolicy());
    const error = await new Promise<Error | null>((done) =>
      connect({ hostname: '169.254.169.254', host: '169.254.169.254', protocol: 'http:', port: '80' }, (...[err]) => done(err)),
    );
    expect(error?.message).toBe('callback address refused by the always-refused link-local networks: 169.254.169.254');
  });
});
