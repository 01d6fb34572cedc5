import { ApiKeyRing, apiKeysProblem } from './api-keys';

const OPS = { id: 'ops', key: 'ops-key-0123456789abcdef', scopes: ['admin'] };
const SHOP = { id: 'shop', key: 'shop-key-0123456789abcdef', scopes: ['read', 'write', 'work'], owner: 'shop' };

describe('API keys', () => {
  it('accepts the documented form', () => {
    expect(apiKeysProblem([OPS, SHOP])).toBeNull();
    expect(apiKeysProblem([])).toBeNull();
  });

  it.each([
    ['not a list', { keys: [] }, 'must be a JSON array'],
    ['a stray field', [{ ...OPS, role: 'x' }], 'unknown field role'],
    ['a short key', [{ ...OPS, key: 'short' }], 'key must be 16-512 visible ASCII characters'],
    ['a key with a non-ASCII character', [{ ...OPS, key: 'ops-key-0123456789abcdé' }], 'visible ASCII'],
    ['an admin key with an owner', [{ ...OPS, owner: 'shop' }], 'an admin key sees every owner'],
    ['an unknown scope', [{ ...OPS, scopes: ['root'] }], 'scopes must be a non-empty list of read, write, work, admin'],
    ['no scope', [{ ...OPS, scopes: [] }], 'scopes must be a non-empty list'],
    ['an empty owner', [{ ...SHOP, owner: '' }], 'owner must be'],
    ['a repeated id', [OPS, { ...SHOP, id: 'ops' }], 'id "ops" is used twice'],
    ['a repeated key', [OPS, { ...SHOP, key: OPS.key }], 'the same key is listed twice'],
  ])('refuses %s, saying what to fix and never quoting a key', (_, value, message) => {
    const problem = apiKeysProblem(value);
    expect(problem).toContain(message);
    expect(problem).not.toContain(OPS.key);
    expect(problem).not.toContain(SHOP.key);
  });

  it('finds the principal of a presented key: its id, scopes (admin implies all) and owner', () => {
    const ring = new ApiKeyRing([OPS, SHOP] as never);
    const ops = ring.find(OPS.key)!;
    expect([ops.keyId, [...ops.scopes].sort(), ops.owner]).toEqual(['ops', ['admin', 'read', 'work', 'write'], null]);
    const shop = ring.find(SHOP.key)!;
    expect([shop.keyId, [...shop.scopes].sort(), shop.owner]).toEqual(['shop', ['read', 'work', 'write'], 'shop']);
  });

  it('finds nothing for an unknown key, a prefix of a known one or an empty one', () => {
    const ring = new ApiKeyRing([OPS, SHOP] as never);
    expect(ring.find('nope-0123456789abcdef')).toBeNull();
    expect(ring.find(OPS.key.slice(0, -1))).toBeNull();
    expect(ring.find('')).toBeNull();
  });
});
