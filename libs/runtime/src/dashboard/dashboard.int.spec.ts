import Fastify, { FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardAssetsDir, serveDashboard } from './dashboard.module';

/** The dashboard's static serving on a bare Fastify (the e2e test drives the real page in Chromium). */
describe('serveDashboard', () => {
  /** A temporary folder holding the dashboard's folder (`root`) and, beside it, a file it must never serve. */
  let outer: string;
  let root: string;
  let fastify: FastifyInstance;

  beforeEach(async () => {
    outer = mkdtempSync(join(tmpdir(), 'herald-dashboard-'));
    root = join(outer, 'dashboard');
    writeFileSync(join(outer, 'secret.txt'), 'TOP-SECRET-CONTENT');
    fastify = Fastify();
    serveDashboard(fastify, root);
    await fastify.ready();
  });

  afterEach(async () => {
    await fastify.close();
    rmSync(outer, { recursive: true, force: true });
  });

  const build = () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Herald dashboard</title>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  };

  it('answers 503 saying to build it while the assets are missing, on every path', async () => {
    for (const url of ['/dashboard', '/dashboard/', '/dashboard/assets/index-abc123.js']) {
      const response = await fastify.inject({ url });
      expect([url, response.statusCode]).toEqual([url, 503]);
      expect(response.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable', code: 'DashboardNotBuilt' });
      expect(response.json<{ message: string }>().message).toContain('npm run build');
    }
  });

  it('serves the page once built, without a restart', async () => {
    expect((await fastify.inject({ url: '/dashboard/' })).statusCode).toBe(503);
    build();
    const page = await fastify.inject({ url: '/dashboard/' });
    expect([page.statusCode, page.headers['content-type'], page.headers['cache-control']]).toEqual([200, 'text/html; charset=utf-8', 'no-cache']);
    expect(page.body).toContain('Herald dashboard');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await fastify.inject({ url: '/dashboard/index.html' })).statusCode).toBe(200);
  });

  it('redirects /dashboard to /dashboard/, keeping the query', async () => {
    build();
    const response = await fastify.inject({ url: '/dashboard?x=1' });
    expect([response.statusCode, response.headers.location]).toEqual([301, '/dashboard/?x=1']);
  });

  it('caches the hashed assets for good and never index.html', async () => {
    build();
    const script = await fastify.inject({ url: '/dashboard/assets/index-abc123.js' });
    expect([script.statusCode, script.headers['cache-control']]).toEqual([200, 'public, max-age=31536000, immutable']);
    expect(String(script.headers['content-type'])).toMatch(/^(application|text)\/javascript/);
  });

  it('answers 404 for a file it does not have, and serves nothing outside its folder', async () => {
    build();
    expect((await fastify.inject({ url: '/dashboard/nope.js' })).statusCode).toBe(404);
    for (const url of [
      '/dashboard/../secret.txt',
      '/dashboard/%2e%2e/secret.txt',
      '/dashboard/..%2fsecret.txt',
      '/dashboard/assets/..%2f..%2fsecret.txt',
    ]) {
      const response = await fastify.inject({ url });
      expect([url, response.statusCode >= 400 && response.statusCode < 500, response.body]).toEqual([
        url,
        true,
        expect.not.stringContaining('TOP-SECRET'),
      ]);
    }
  });

  it('finds dist/dashboard at the root of the repository', () => {
    expect(dashboardAssetsDir()).toBe(join(__dirname, '..', '..', '..', '..', 'dist', 'dashboard'));
  });
});
