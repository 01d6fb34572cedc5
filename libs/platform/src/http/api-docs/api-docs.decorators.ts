import { Provider, applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiProperty, ApiPropertyOptions, ApiResponse, SwaggerModule, getSchemaPath } from '@nestjs/swagger';
import type { HeaderObject } from '@nestjs/swagger';
import { HeraldConfig } from '../../config/herald-config';
import { ErrorResponseDto } from './error-response.dto';

/**
 * Decorators for the OpenAPI document (GET /api/docs-json) where the swagger
 * plugin's metadata (openapi-metadata.generated.ts of each lib, from the DTO
 * files' types, class-validator decorators and comments) cannot say it.
 */

/** The refusals a route documents itself; 401, 403 and 429 (every keyed route) and 413, 415 (every body) are added to each operation by the document. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid input (`message` names each field and the rule it broke); nothing is written',
  401: 'No API key, or one Herald does not know (only when HERALD_API_KEYS is set)',
  403: "The API key lacks this route's scope, or names another owner than its own",
  404: 'No such resource (or another owner’s, for a key limited to an owner)',
  409: 'The resource’s state does not allow this (`message` names its status), or a concurrent change: retry',
  413: 'Request body over BODY_LIMIT_BYTES',
  415: 'Request body of a media type Herald does not read: send application/json',
  422: 'The Idempotency-Key was used for a different request',
  429: 'Rate limit passed: retry after `Retry-After` seconds',
  503: 'Unavailable for now: retry later',
};

/** Error responses in the common body, with the standard description of each status. */
export const ApiErrors = (...statuses: ErrorStatus[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorResponseDto })));

/** Name of the schema of "any JSON value" (a component of the document: an empty schema). */
export const JSON_VALUE_SCHEMA = 'JsonValue';

/** A property holding any JSON value the client chose (payload, params, progress, checkpoint, result, event data). */
export const ApiJsonValue = (options: Pick<ApiPropertyOptions, 'description' | 'required'> = {}) =>
  ApiProperty({ ...options, allOf: [{ $ref: getSchemaPath(JSON_VALUE_SCHEMA) }] } as ApiPropertyOptions);

/**
 * A query parameter taking several values as one comma list (`status=Queued,Running`, API-CONVENTIONS);
 * `style: form, explode: false` is how OpenAPI says so. Repeating the parameter works too. `values`: the
 * only ones allowed, if the list is closed.
 */
export const ApiCommaList = (values?: readonly string[]) =>
  ApiProperty({
    required: false,
    type: 'array',
    items: values ? { type: 'string', enum: [...values] } : { type: 'string' },
    style: 'form',
    explode: false,
  } as ApiPropertyOptions);

/** An ISO-8601 date-time string (in responses: UTC with milliseconds). Required and nullable come from the plugin. */
export const ApiDateTime = (options: Pick<ApiPropertyOptions, 'description' | 'example'> = {}) =>
  ApiProperty({ ...options, type: String, format: 'date-time' });

/** A UUID field. */
export const ApiUuid = (options: Pick<ApiPropertyOptions, 'description'> = {}) => ApiProperty({ ...options, type: String, format: 'uuid' });

/** The `:id` path parameter of a resource route (a malformed one is a 400, an unknown one a 404). */
export const ApiIdParam = (resource: string) => ApiParam({ name: 'id', format: 'uuid', description: `The ${resource}'s id` });

/** The optional Idempotency-Key of a creating route, named as the route reads it (`@Headers('idempotency-key')`) so the two merge. */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'idempotency-key',
    required: false,
    description:
      'Idempotency-Key: the same key and request within IDEMPOTENCY_TTL_MS answer as the first time did (`Idempotent-Replayed: true`) ' +
      'and create nothing; the same key with a different request is a 422; while the first request with the key is still in flight, ' +
      'a 409 (retry after `Retry-After`). 1–255 visible ASCII characters (a UUID is a good one).',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  });

/** Response headers, for `@ApiCreatedResponse({ headers: { ...LOCATION_HEADER } })` and the like. */
export const LOCATION_HEADER: Record<string, HeaderObject> = {
  Location: { description: 'The path of the resource', schema: { type: 'string' } },
};
export const IDEMPOTENT_REPLAYED_HEADER: Record<string, HeaderObject> = {
  'Idempotent-Replayed': {
    description: '`true` when this answers a repeat of an earlier request with the same Idempotency-Key',
    schema: { type: 'string' },
  },
};
export const RETRY_AFTER_HEADER: Record<string, HeaderObject> = {
  'Retry-After': { description: 'Seconds to wait before asking again', schema: { type: 'integer' } },
};

/**
 * Compiles to `true` only when A and B are assignable to each other: a response
 * DTO class declares `const _same: AssertSameShape<XDto, ReturnType<typeof toX>> = true;`
 * so that the document cannot drift from what the route answers.
 */
export type AssertSameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

type PluginMetadata = () => Promise<Record<string, unknown>>;

/**
 * Loads a lib's generated swagger-plugin metadata (`openapi-metadata.generated.ts`,
 * `npm run openapi:metadata`) before the document is built: the same metadata
 * in the built app and under jest (whose SWC transform runs no TS plugins). A
 * capability module lists it next to its controllers; listed twice (two modules
 * of one lib), it loads twice, harmlessly.
 */
export function apiDocsMetadata(lib: string, load: () => Promise<{ default: PluginMetadata }>): Provider {
  return {
    provide: `api-docs-metadata:${lib}`,
    // Optional: a test's own root module may run a capability without ConfigModule.
    inject: [{ token: HeraldConfig, optional: true }],
    useFactory: async (config?: HeraldConfig) => {
      if (config?.API_DOCS_ENABLED === false) return lib;
      await SwaggerModule.loadPluginMetadata(async () => (await load()).default());
      return lib;
    },
  };
}
