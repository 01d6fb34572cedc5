import { ConfigError, loadConfig } from './herald-config';

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect([config.PORT, config.DATA_DIR, config.SCHEDULER_HORIZON_MS, config.LOG_REQUESTS]).toEqual([3000, './data', 60_000, true]);
  });

  it('reads numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', LOG_REQUESTS: 'false', RETRY_BASE_DELAY_MS: '50' });
    expect([config.PORT, config.LOG_REQUESTS, config.RETRY_BASE_DELAY_MS]).toEqual([8080, false, 50]);
  });

  it('names every malformed variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/PORT="eighty".*\n.*LOG_LEVEL="loud"/);
  });

  describe('callback network lists', () => {
    it('are empty by default: loopback and private networks stay reachable', () => {
      const config = loadConfig({});
      expect([config.CALLBACK_DENY_NETWORKS, config.CALLBACK_ALLOW_NETWORKS]).toEqual([[], []]);
    });

    it('read comma-separated CIDR lists, spaces and blanks dropped, a bare address as one host', () => {
      const config = loadConfig({ CALLBACK_DENY_NETWORKS: ' 10.0.0.0/8, fd00::/8 ,,127.0.0.1', CALLBACK_ALLOW_NETWORKS: '10.1.2.3/32' });
      expect(config.CALLBACK_DENY_NETWORKS).toEqual(['10.0.0.0/8', 'fd00::/8', '127.0.0.1']);
      expect(config.CALLBACK_ALLOW_NETWORKS).toEqual(['10.1.2.3/32']);
    });

    it.each([
      ['CALLBACK_DENY_NETWORKS', '10.0.0.0/33'],
      ['CALLBACK_DENY_NETWORKS', '10.0.0/8'],
      ['CALLBACK_DENY_NETWORKS', 'fd00::/129'],
      ['CALLBACK_ALLOW_NETWORKS', 'localhost'],
      ['CALLBACK_ALLOW_NETWORKS', '10.0.0.0/8/1'],
      ['CALLBACK_ALLOW_NETWORKS', '10.0.0.0/'],
    ])('fail start-up naming %s when given %p', (variable, value) => {
      expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`${variable}=.*is not a CIDR network`));
    });
  });
  describe('CALLBACK_SIGNING_SECRETS', () => {
    const OLD = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'; // 24 bytes: the spec's minimum
    const NEW = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

    it('is empty by default: callbacks go unsigned', () => {
      expect(loadConfig({}).CALLBACK_SIGNING_SECRETS).toEqual([]);
    });

    it('reads a comma-separated list, in order, spaces trimmed', () => {
      expect(loadConfig({ CALLBACK_SIGNING_SECRETS: ` ${OLD} , ${NEW}` }).CALLBACK_SIGNING_SECRETS).toEqual([OLD, NEW]);
    });

    it.each([
      ['without the whsec_ prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /secret 1 of 1 does not start with "whsec_"/],
      ['with invalid base64', 'whsec_MfKQ9r8GKYqr!wjUPD8ILPZIo2LaLaSw', /secret 1 of 1 is not valid padded base64/],
      ['with unpadded base64', `whsec_${Buffer.alloc(25).toString('base64').replace(/=+$/, '')}`, /is not valid padded base64/],
      ['with nothing after the prefix', 'whsec_', /is not valid padded base64/],
      ['with a key shorter than 24 bytes', `whsec_${Buffer.alloc(16).toString('base64')}`, /decodes to 16 bytes; the spec asks for 24 to 64/],
      ['with a key longer than 64 bytes', `whsec_${Buffer.alloc(65).toString('base64')}`, /decodes to 65 bytes/],
      ['with an empty item', `${OLD},`, /secret 2 of 2 is empty/],
    ])('fails start-up naming the variable, not the secret, for a secret %s', (_case, secret, message) => {
      const env = { CALLBACK_SIGNING_SECRETS: secret };
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(/CALLBACK_SIGNING_SECRETS=\(value not shown\): /);
      expect(() => loadConfig(env)).toThrow(message);
    });

    it('names each bad secret by position and quotes none of them, good or bad', () => {
      const bad = 'not-a-secret-at-all';
      const error = captured(() => loadConfig({ CALLBACK_SIGNING_SECRETS: `${OLD},${bad}` }));
      expect(error.message).toMatch(/secret 2 of 2 does not start with "whsec_"/);
      expect(error.message).not.toMatch(/secret 1 /);
      expect(error.message).not.toContain(bad);
      expect(error.message).not.toContain(OLD.slice('whsec_'.length));
    });
  });
});

function captured(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}
