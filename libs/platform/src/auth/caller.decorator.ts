import { ExecutionContext, HttpException, createParamDecorator } from '@nestjs/common';
import { Principal, UNRESTRICTED } from './api-keys';

/** The request's caller, as the API key guard found it; unrestricted when auth is off. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): Principal => principalOf(context.switchToHttp().getRequest()));

export function principalOf(request: { principal?: Principal }): Principal {
  return request.principal ?? UNRESTRICTED;
}

/**
 * The owner a caller creates or filters for: its key's owner, which a body or
 * query may repeat but not contradict (403); an unrestricted caller's choice.
 */
export function ownerFor(caller: Principal, asked: string | null | undefined): string | null {
  if (caller.owner === null) return asked ?? null;
  if (asked !== undefined && asked !== null && asked !== caller.owner) {
    throw new HttpException(
      {
        statusCode: 403,
        error: 'Forbidden',
        code: 'OwnerMismatch',
        message: `API key ${caller.keyId} acts for owner ${JSON.stringify(caller.owner)} only; leave owner out or set it to that`,
      },
      403,
    );
  }
  return caller.owner;
}
