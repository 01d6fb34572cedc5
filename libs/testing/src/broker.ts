import { spawnSync } from 'node:child_process';

const DEFAULT_PORTS: Record<string, number> = {
  amqp: 5672,
  amqps: 5671,
  esdb: 2113,
  'esdb+discover': 2113,
  mongodb: 27017,
  redis: 6379,
  rediss: 6379,
};

export const RABBITMQ_TEST_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** The Redis of the rate-limit suites: the machine's own (CI has one too) unless REDIS_URL names another. */
export const REDIS_TEST_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the suites that need a server should run. A reachable server
 * always runs them. An unreachable one is a failure under CI=true (CI must
 * never pass by skipping) and a visible skip on a developer's machine.
 * Synchronous, because jest decides describe vs describe.skip at load time.
 */
export function serverAvailable(name: string, url: string): boolean {
  const scheme = url.slice(0, url.indexOf(':'));
  // First host of the URL; multi-host and SRV URLs are probed on their first host only.
  const { hostname, port } = new URL(url.replace(/^[a-z+]+:/, 'http:').replace(/,.*?(\/|$)/, '$1'));
  const probePort = Number(port) || DEFAULT_PORTS[scheme] || 0;
  const probe = `require('net').connect(${probePort}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1)); setTimeout(() => process.exit(1), 2000)`;
  const reachable = spawnSync(process.execPath, ['-e', probe]).status === 0;
  if (reachable) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${name} at ${url} is unreachable, and under CI=true its tests must fail rather than skip`);
  }
  console.warn(`${name} at ${url} is unreachable: its contract suite is SKIPPED on this machine`);
  return false;
}
