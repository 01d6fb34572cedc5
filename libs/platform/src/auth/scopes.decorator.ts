import { SetMetadata } from '@nestjs/common';
import type { Scope } from './api-keys';

export const REQUIRED_SCOPE = 'herald:required-scope';

/**
 * The scope a route needs when it is not the one its method implies (GET →
 * read, anything else → write): `work` for the worker protocol, `admin` for
 * operations. `null`: open to anyone (`/health`).
 */
export const RequireScope = (scope: Scope | null) => SetMetadata(REQUIRED_SCOPE, scope);

/** Open without a key: liveness and readiness probes. */
export const Public = () => RequireScope(null);
