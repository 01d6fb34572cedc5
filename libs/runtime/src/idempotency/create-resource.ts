import { HttpCode, Post, Type, applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { HeaderObject } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import {
  ApiErrors,
  ApiIdempotencyKey,
  ErrorResponseDto,
  IDEMPOTENT_REPLAYED_HEADER,
  LOCATION_HEADER,
  Principal,
  RETRY_AFTER_HEADER,
  ownerFor,
} from '@herald/platform';
import { idempotencyKeyOf } from './idempotency-key';
import { IdempotentCreation } from './idempotent-creation';

/**
 * The route of a create endpoint (`POST /api/v1/<things>`): answers `status`
 * (201 Created, or 202 Accepted for work that runs later) with `type`, the
 * `Location` header (and `headers`, e.g. Retry-After) and `Idempotent-Replayed`,
 * takes an optional Idempotency-Key, and documents 400, 409 (a request with
 * the same key in flight) and 422. The operation
 * itself (`@ApiOperation`) stays with the route.
 */
export const CreateRoute = (options: { status: 201 | 202; type: Type<unknown>; description: string; headers?: Record<string, HeaderObject> }) =>
  applyDecorators(
    Post(),
    HttpCode(options.status),
    ApiIdempotencyKey(),
    ApiResponse({
      status: options.status,
      type: options.type,
      description: options.description,
      headers: { ...LOCATION_HEADER, ...options.headers, ...IDEMPOTENT_REPLAYED_HEADER },
    }),
    ApiErrors(400, 422),
    ApiResponse({
      status: 409,
      type: ErrorResponseDto,
      description: 'A request with this Idempotency-Key is still being processed (`IdempotencyKeyInFlight`): retry after `Retry-After` seconds',
      headers: RETRY_AFTER_HEADER,
    }),
  );

/** A create route's body: its DTO, with the optional `owner` every one takes. */
export type CreateBody = object & { owner?: string | null };

/** What a create route received, as its parameters read it. */
export interface CreateRequest<B extends CreateBody> {
  readonly body: B;
  /** The reply (`@Res({ passthrough: true })`): Location and Idempotent-Replayed are set on it. */
  readonly reply: FastifyReply;
  readonly caller: Principal;
  readonly traceparent: string;
  /** The Idempotency-Key header, if any. */
  readonly idempotencyKey?: string;
}

/** How one kind of resource is created and found again. */
export interface ResourceCreation<R> {
  /** The kind of resource ('reminder', 'task', …): Idempotency-Keys of different kinds never meet. */
  readonly kind: string;
  /** The path the route posts to (`/api/v1/reminders`): part of a key's fingerprint, and the base of `Location`. */
  readonly collection: string;
  /** Creates the resource with this id at `no_stream`, its command carrying `commandId`, for `owner` (the caller's, see ownerFor). */
  create(resourceId: string, request: { commandId: string; owner: string | null }): Promise<R>;
  /** The resource as created before; null when it does not exist. */
  replay(resourceId: string): Promise<R | null>;
  /** When the resource was created (ISO 8601): a repeat of its request meanwhile is still in flight (IdempotentCreation). */
  createdAtOf(resource: R): string;
  /** The created resource's id, for `Location`. */
  idOf(resource: R): string;
}

/**
 * The one sequence of every create route, after its own checks of the body:
 * the owner (the caller's key's, or the body's: ownerFor, 403 on a mismatch),
 * the Idempotency-Key (400 when malformed; IdempotentCreation for a repeat or
 * a reuse), the creation under the request's trace, and `Location`. Returns
 * the resource, for the route to answer with.
 */
export async function createResource<B extends CreateBody, R>(
  idempotent: IdempotentCreation,
  request: CreateRequest<B>,
  creation: ResourceCreation<R>,
): Promise<R> {
  const { body, reply, caller, traceparent } = request;
  const owner = ownerFor(caller, body.owner);
  const key = idempotencyKeyOf(request.idempotencyKey, { kind: creation.kind, owner, route: `POST ${creation.collection}`, body });
  const resource = await idempotent.create(key, reply, {
    freshId: randomUUID,
    traceparent,
    create: (resourceId, commandId) => creation.create(resourceId, { commandId, owner }),
    replay: (resourceId) => creation.replay(resourceId),
    createdAtOf: (resource) => creation.createdAtOf(resource),
  });
  void reply.header('Location', `${creation.collection}/${creation.idOf(resource)}`);
  return resource;
}
