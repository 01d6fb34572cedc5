import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing). CHROMIUM_PATH names another. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser suites should run, decided as the broker suites decide (serverAvailable):
 * with Chromium they run; without it they are a failure under CI=true (CI must never pass by
 * skipping) and a visible skip on a developer's machine. Synchronous: jest picks describe or
 * describe.skip at load time.
 */
export function browserAvailable(what: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `Chromium is not at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`${message}, and under CI=true the ${what} tests must fail rather than skip`);
  console.warn(`${message}: the ${what} tests are SKIPPED on this machine`);
  return false;
}

/** Headless Chromium driven by playwright-core (no browser download: the system's own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const ROOT = resolve(__dirname, '../..');
/** What the dashboard's build reads: a change to any of these makes dist/dashboard stale. */
const DASHBOARD_SOURCES = ['apps/dashboard', 'libs/client/src'];
export const DASHBOARD_DIST = join(ROOT, 'dist', 'dashboard');

/**
 * Builds the dashboard (`npm run build:dashboard`: Vite, well under a second) unless
 * dist/dashboard is newer than every file it is built from, so a test never drives a stale page.
 */
export function ensureDashboardBuilt(): void {
  const index = join(DASHBOARD_DIST, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (builtAt > 0 && DASHBOARD_SOURCES.every((dir) => newestFile(join(ROOT, dir)) <= builtAt)) return;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'apps/dashboard/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`npm run build:dashboard failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

function newestFile(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestFile(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * What a page reports as errors from now on: its exceptions, and console errors but the browser's
 * note of each refused call (a 4xx the page shows is expected). A test asserts the array is empty.
 */
export function pageErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  return errors;
}
