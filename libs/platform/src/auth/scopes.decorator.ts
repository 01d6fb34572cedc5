import { SetMetadata, applyDecorators } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import type { Scope } from './api-keys';

export const REQUIRED_SCOPE = 'herald:required-scope';

/**
 * The scope a route needs when it is not the one its method implies (GET →
 * read, anything else → write): `work` for the worker protocol, `admin` for
 * operations. `null`: open to anyone (`/health`).
 */
export const RequireScope = (scope: Scope | null) => SetMetadata(REQUIRED_SCOPE, scope);

/** Open without a key: liveness and readiness probes. In the OpenAPI document: no security requirement (`security: []`). */
export const Public = () => applyDecorators(RequireScope(null), SetMetadata(DECORATORS.API_SECURITY, []));
