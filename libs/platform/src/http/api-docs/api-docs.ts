import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HeraldConfig } from '../../config/herald-config';
import { ERROR_DESCRIPTIONS, ErrorStatus, JSON_VALUE_SCHEMA } from './api-docs.decorators';
import { ErrorResponseDto } from './error-response.dto';

/** Swagger UI; the document is at API_DOCS_JSON_PATH. Both are open without a key (authenticate.hook.ts). */
export const API_DOCS_PATH = '/api/docs';
export const API_DOCS_JSON_PATH = '/api/docs-json';

/** The security scheme's name in the document. */
export const BEARER_SCHEME = 'apiKey';

/** The capabilities, in the order the UI lists them; a service's document keeps those its routes use. */
const TAGS: readonly [string, string][] = [
  ['reminders', 'Herald calls you back: a POST to your address at the time you chose, retried until it succeeds'],
  ['tasks', 'Tracked background work: enqueued here, run by your workers, polled or listed here'],
  ['workers', 'The worker protocol: lease tasks, heartbeat, report their outcome (scope `work`)'],
  ['schedules', 'Cron schedules whose occurrences define reminders or enqueue tasks'],
  ['notifications', 'Notifications and their delivery on channels'],
  ['feed', 'The live feed: the log as Server-Sent Events'],
  ['health', 'Readiness of the service: stores, projections, queues'],
  ['metrics', 'Prometheus metrics (scope `admin`)'],
];

const DESCRIPTION = [
  'Self-hosted, event-sourced reminders, recurring schedules and tracked background tasks.',
  '',
  '**Conventions.** Request bodies are JSON only (415 otherwise), unknown fields are refused (400), sizes are limited (413).',
  'Every refusal has the body `ErrorResponseDto`: `{ statusCode, error, code, message }`; for invalid input `message` lists each',
  'field and the rule it broke, and nothing is written. Ids are UUIDs. Times are ISO-8601 (responses: UTC with milliseconds);',
  'durations are integer milliseconds in fields ending `Ms`. Lists answer `{ items, nextCursor }`: pass `nextCursor` back as',
  '`cursor` for the next page (null on the last). Reads come from the read side and may lag a write by milliseconds.',
  'Creating routes take an optional `Idempotency-Key` header.',
  '',
  '**Authentication.** When the server has API keys (HERALD_API_KEYS), send `Authorization: Bearer <key>`. GET needs the',
  '`read` scope and other methods `write`, the worker protocol `work`, `/metrics` `admin` (an admin key has every scope);',
  'a key limited to an owner sees and acts on that owner’s resources only. `/health` and this document are open.',
].join('\n');

/**
 * GET /api/docs (Swagger UI) and GET /api/docs-json (the OpenAPI 3 document)
 * of every service, built from the routes that service serves. Called by
 * createHttpApp before the app starts; the document itself is built on its
 * first request, so a service that is never asked pays nothing for it.
 */
export async function setupApiDocs(app: INestApplication, config: HeraldConfig): Promise<void> {
  if (!config.API_DOCS_ENABLED) return;
  // Platform's own DTOs (page query, error body, health); each capability lib loads its own (apiDocsMetadata).
  await SwaggerModule.loadPluginMetadata(async () => (await import('../../openapi-metadata.generated')).default());
  SwaggerModule.setup(API_DOCS_PATH, app, () => apiDocument(app), {
    jsonDocumentUrl: API_DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Herald API',
  });
}

/** The OpenAPI document of the app's routes. */
export function apiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Herald')
    .setDescription(DESCRIPTION)
    .setVersion(heraldVersion())
    .addSecurity(BEARER_SCHEME, { type: 'http', scheme: 'bearer', description: 'An API key of HERALD_API_KEYS: `Authorization: Bearer <key>`' })
    .addSecurityRequirements(BEARER_SCHEME);
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ErrorResponseDto],
    // Routes without an explicit operationId (ApiOperation): FeedController.stream → feed.stream.
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}.${method}`,
  });
  return completed(document);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * What every operation shares, added once here rather than on each route:
 * a keyed route (every one but those marked `@Public()`, whose `security` is
 * empty) may answer 401, 403 and 429; a route with a body 413 and 415 (Fastify
 * refuses those before the route runs). Also the JsonValue schema, and only
 * the tags this service's routes use.
 */
function completed(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  schemas[JSON_VALUE_SCHEMA] = { description: 'Any JSON value: an object, array, string, number, boolean or null, as the client sent it' };
  const used = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const tag of operation.tags ?? []) used.add(tag);
      const common: ErrorStatus[] = [];
      if (!(Array.isArray(operation.security) && operation.security.length === 0)) common.push(401, 403, 429);
      if (operation.requestBody) common.push(413, 415);
      for (const status of common) {
        operation.responses[status] ??= {
          description: ERROR_DESCRIPTIONS[status],
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${ErrorResponseDto.name}` } } },
        };
      }
    }
  }
  document.tags = (document.tags ?? []).filter((tag) => used.has(tag.name));
  return document;
}

let version: string | undefined;

/** package.json's version: the nearest package.json named herald above this file (in src under jest, in dist when built, /app in the image). */
export function heraldVersion(): string {
  if (version !== undefined) return version;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'herald' && pkg.version) return (version = pkg.version);
    }
    if (dirname(dir) === dir) return (version = '0.0.0');
  }
}
