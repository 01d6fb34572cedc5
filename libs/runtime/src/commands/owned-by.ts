import { CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainEvent } from '@herald/kernel';
import { principalOf } from '@herald/platform';
import { AggregateType, CommandRunner } from './command-runner';

const OWNED_BY = 'herald:owned-by';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any aggregate type: the guard only reads its ownership.
type AnyAggregate = AggregateType<any, any, any>;

/** How the guard sees any aggregate: it needs the stream and the ownership only. */
type Owned = AggregateType<unknown, unknown, DomainEvent>;

/**
 * The `:id` routes of a controller act on one aggregate of this type: a
 * caller whose API key is limited to an owner gets the aggregate's own 404
 * for anyone else's, before the route reads or decides anything. Routes
 * without an `:id` (create, list) pass; they apply the owner themselves.
 */
export const OwnedBy = (aggregate: AnyAggregate) => applyDecorators(SetMetadata(OWNED_BY, aggregate), UseGuards(OwnerGuard));

/**
 * Reads the owner from the write side (the log, from a snapshot where the
 * aggregate keeps them), never the read model: an id created a millisecond
 * ago is already known, and owners never change after creation, so the
 * check cannot race the command that follows. Only for owner-limited keys:
 * others pay nothing.
 */
@Injectable()
export class OwnerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly commands: CommandRunner,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ params?: Record<string, string>; principal?: never }>();
    const caller = principalOf(request);
    const aggregate = this.reflector.getAllAndOverride<Owned | undefined>(OWNED_BY, [context.getHandler(), context.getClass()]);
    const id = request.params?.id;
    // A malformed id is the route's 400 to give (its pipe runs after guards).
    if (caller.owner === null || !aggregate?.ownership || typeof id !== 'string' || !UUID.test(id)) return true;
    const { state } = await this.commands.load(aggregate, id);
    if (state !== null && state !== undefined && aggregate.ownership.ownerOf(state) !== caller.owner) throw aggregate.ownership.notFound(id);
    return true;
  }
}
