import { spawnSync } from 'node:child_process';

export const RABBITMQ_TEST_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Whether the suites that need a server should run. A reachable server
 * always runs them. An unreachable one is a failure under CI=true (CI must
 * never pass by skipping) and a visible skip on a developer's machine.
 * Synchronous, because jest decides describe vs describe.skip at load time.
 */
export function serverAvailable(name: string, url: string): boolean {
  const { hostname, port } = new URL(url.replace(/^[a-z+]+:/, 'http:'));
  const probe = `require('net').connect(${Number(port)}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1)); setTimeout(() => process.exit(1), 2000)`;
  const reachable = spawnSync(process.execPath, ['-e', probe]).status === 0;
  if (reachable) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${name} at ${url} is unreachable, and under CI=true its tests must fail rather than skip`);
  }
  console.warn(`${name} at ${url} is unreachable: its contract suite is SKIPPED on this machine`);
  return false;
}
