import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Where the dashboard is served: `/dashboard` redirects here. Vite builds it with this `base`. */
export const DASHBOARD_PATH = '/dashboard/';

/** The built page has no inline script or style: everything from this origin (the favicon is a data: URL). */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The built dashboard (`npm run build:dashboard`, part of `npm run build`):
 * `dist/dashboard` of the repository, found from this file whether it runs
 * from the sources (jest, swc) or from `dist/libs/…` (the built apps, the image).
 */
export function dashboardAssetsDir(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'herald') return join(dir, 'dist', 'dashboard');
    if (dirname(dir) === dir) return join(process.cwd(), 'dist', 'dashboard');
  }
}

/**
 * Serves the web dashboard's static files (`GET /dashboard/*`, `/dashboard`
 * redirects to `/dashboard/`) with @fastify/static. The page is public HTML
 * and JavaScript (authenticate.hook.ts lets `/dashboard` through); the API
 * calls it makes carry the key the user gives it. Hash routing (`#/tasks/<id>`)
 * means no SPA fallback: every path under the prefix is a file or a 404.
 *
 * Until the assets are built every path answers 503 saying so; whether they
 * are is asked per request, so building while the service runs is enough.
 * `index.html` is never cached (it names the current bundles); Vite's
 * `assets/*` have content hashes in their names and are cached for a year.
 */
export function serveDashboard(fastify: FastifyInstance, root = dashboardAssetsDir()): void {
  const index = join(root, 'index.html');
  let built = false;
  // Not awaited: Fastify loads the plugin with the rest when the app starts (awaiting would load every plugin queued so far now).
  void fastify.register(async (scope) => {
    scope.addHook('onRequest', async (_request: FastifyRequest, reply: FastifyReply) => {
      built ||= existsSync(index);
      if (built) return;
      return reply.code(503).header('retry-after', '60').send({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'DashboardNotBuilt',
        // The path stays in the server's log (DashboardModule warns at start): this answer is public.
        message: 'the dashboard is not built: run `npm run build` (or `npm run build:dashboard`) where Herald is installed, then reload',
      });
    });
    await scope.register(fastifyStatic, {
      root,
      prefix: DASHBOARD_PATH.slice(0, -1),
      redirect: true,
      // Swagger UI's registration (api/docs) may already have decorated the reply; this one needs no sendFile.
      decorateReply: false,
      dotfiles: 'ignore',
      index: ['index.html'],
      // The root may not exist yet (not built): the hook answers for it, @fastify/static need not warn.
      suppressWarning: true,
      cacheControl: false,
      setHeaders: (reply, path) => {
        const immutable = relative(root, path).split(sep)[0] === 'assets';
        reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        reply.header('x-content-type-options', 'nosniff');
        // The page acts with the key it was given: no framing by another site (clickjacking), scripts and calls to this origin only.
        reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
        reply.header('x-frame-options', 'DENY');
      },
    });
  });
}

/**
 * The web dashboard at `/dashboard/`: added to the services that serve the
 * read side and the live feed (the query API, the all-in-one). Its pages call
 * the API at the same origin, so in the separate services its actions reach
 * the command API through the query API's CommandForwardingModule (COMMAND_API_URL).
 */
@Module({})
export class DashboardModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // A Nest application without HTTP (a test's own context) has nothing to serve on.
    if (!fastify) return;
    const root = dashboardAssetsDir();
    if (!existsSync(join(root, 'index.html')))
      new Logger('Dashboard').warn(`not built: /dashboard answers 503 until \`npm run build\` writes ${root}`);
    serveDashboard(fastify, root);
  }
}
