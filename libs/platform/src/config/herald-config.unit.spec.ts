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
});
