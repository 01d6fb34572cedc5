import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error';
import { loadConfig } from '../config/herald-config';
import { isLoopback } from './auth-config';

const KEYS = JSON.stringify([{ id: 'ops', key: 'ops-key-0123456789abcdef', scopes: ['admin'] }]);

describe('the secure default', () => {
  it('listens on loopback without keys, on every interface with them', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HERALD_API_KEYS: KEYS }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '10.1.2.3', HERALD_API_KEYS: KEYS }).HOST).toBe('10.1.2.3');
  });

  it('refuses a non-loopback HOST without keys, naming the ways out', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST=0\.0\.0\.0 is not a loopback address and no API keys .*HERALD_AUTH=off/);
  });

  it('starts unauthenticated on any address only when HERALD_AUTH=off says so', () => {
    expect(loadConfig({ HOST: '0.0.0.0', HERALD_AUTH: 'off' }).HOST).toBe('0.0.0.0');
  });

  it('reads keys from HERALD_API_KEYS_FILE too, and names the file when it is unusable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-keys-'));
    try {
      const file = join(dir, 'keys.json');
      writeFileSync(file, JSON.stringify([{ id: 'shop', key: 'shop-key-0123456789abcdef', scopes: ['read'], owner: 'shop' }]));
      const config = loadConfig({ HERALD_API_KEYS: KEYS, HERALD_API_KEYS_FILE: file });
      expect(config.HERALD_API_KEYS.map((k) => k.id)).toEqual(['ops', 'shop']);
      writeFileSync(file, '{ not json');
      expect(() => loadConfig({ HERALD_API_KEYS_FILE: file })).toThrow(/HERALD_API_KEYS_FILE=.*is not JSON/);
      expect(() => loadConfig({ HERALD_API_KEYS_FILE: join(dir, 'missing.json') })).toThrow(/cannot be read \(ENOENT\)/);
      writeFileSync(file, KEYS);
      expect(() => loadConfig({ HERALD_API_KEYS: KEYS, HERALD_API_KEYS_FILE: file })).toThrow(/id "ops" is used twice/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports malformed HERALD_API_KEYS without printing its value', () => {
    const secret = '[{"id":"ops","key":"do-not-print-this-key-0000","scopes":["rooot"]}]';
    let message = '';
    try {
      loadConfig({ HERALD_API_KEYS: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('HERALD_API_KEYS');
    expect(message).toContain('scopes must be');
    expect(message).not.toContain('do-not-print-this-key');
    expect(() => loadConfig({ HERALD_API_KEYS: 'not json' })).toThrow(/HERALD_API_KEYS=\(value not shown\): must be a JSON array/);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.8.9.1', '::1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].map(isLoopback)).toEqual([false, false, false, false]);
  });
});
