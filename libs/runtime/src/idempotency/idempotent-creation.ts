import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { v5 as uuidv5 } from 'uuid';
import { CLOCK, Clock, DomainError } from '@herald/kernel';
import { WrongExpectedRevisionError } from '@herald/event-store';
import { HeraldConfig } from '@herald/platform';
import { AggregateType, CommandRunner } from '../commands/command-runner';
import { derivedCommandId } from '../commands/command-ids';
import { IDEMPOTENCY_STREAM_PREFIX, IdempotencyCommand, IdempotencyEvent, IdempotencyState, idempotencyDecider, liveUse } from './idempotency-record';
import { IdempotencyKey } from './idempotency-key';

export const IDEMPOTENCY: AggregateType<IdempotencyState, IdempotencyCommand, IdempotencyEvent> = {
  decider: idempotencyDecider,
  streamOf: (id) => `${IDEMPOTENCY_STREAM_PREFIX}${id}`,
  isEvent: (e) => e.type === 'IdempotencyKeyUsed',
};

/** Never changes: record and resource ids derived from it must come out the same in every version. */
const NAMESPACE = '9d7f3c1e-2b4a-4e8d-a6f0-5c3b1e7d9a24';
const TRIES = 3;

/** How a create route makes its resource under a given id, and answers for one made before. */
export interface Creation<R> {
  /** Creates the resource with this id at `no_stream`, its command carrying this id (so a repeat is recognised, not refused). */
  create(resourceId: string, commandId: string): Promise<R>;
  /** The answer for the resource as created before; null when it does not exist. */
  replay(resourceId: string): Promise<R | null>;
  /** The request's trace: the key's use is filed under it, as the resource's events are. */
  readonly traceparent?: string;
}

/**
 * Idempotency-Key on create routes (draft-ietf-httpapi-idempotency-key-header),
 * on the write side. The key (per owner and kind) names a record stream; the
 * resource its request creates gets an id derived from the key and the
 * record's revision, and a command id derived from that and the request's
 * fingerprint. The resource is created first, at `no_stream`; then the use is
 * recorded at the revision read. So, across replicas and restarts:
 * - the same key and request within IDEMPOTENCY_TTL_MS answers as the first
 *   time (`Idempotent-Replayed: true`) and creates nothing — also when the
 *   two arrive together: the second's create is the first's command, which
 *   the command path recognises, so both answer the one resource;
 * - the same key with another request → 422;
 * - a request the domain refuses writes nothing at all (no claim to undo),
 *   and the key stays free for a corrected one;
 * - a crash between the two appends is finished by the client's retry: the
 *   same resource id and command id, recognised, then the use recorded.
 * While the record itself is being contended past a few tries → 409.
 */
@Injectable()
export class IdempotentCreation {
  constructor(
    private readonly commands: CommandRunner,
    private readonly config: HeraldConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `create` with a fresh id when the request has no key; else as above. Sets `Idempotent-Replayed` on a replay. */
  async create<R>(key: IdempotencyKey | null, reply: FastifyReply, creation: Creation<R> & { freshId: () => string }): Promise<R> {
    if (!key) return creation.create(creation.freshId(), creation.freshId());
    const { result, replayed } = await this.run(key, creation);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return result;
  }

  async run<R>(key: IdempotencyKey, creation: Creation<R>): Promise<{ result: R; replayed: boolean }> {
    const recordId = idOf(`${key.kind}\u0000${key.owner ?? ''}\u0000${key.value}`);
    const ttlMs = this.config.IDEMPOTENCY_TTL_MS;
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const now = this.clock.now();
      const { state, revision } = await this.commands.load(IDEMPOTENCY, recordId);
      const use = liveUse(state, now, ttlMs);
      if (use) {
        if (use.fingerprint !== key.fingerprint) throw reused();
        const earlier = await creation.replay(use.resourceId);
        if (earlier !== null) return { result: earlier, replayed: true };
      }
      // Each expired use frees the key for a new resource: the id names the use it is for.
      const resourceId = use?.resourceId ?? idOf(`${recordId}/${state.uses}`);
      let result: R;
      try {
        result = await creation.create(resourceId, derivedCommandId(`idempotent-create:${resourceId}:${key.fingerprint}`));
      } catch (error) {
        // The id is taken by another request's command: the key was used for a different request (or it is being).
        if (
          error instanceof WrongExpectedRevisionError ||
          (error instanceof DomainError && error.kind === 'conflict' && (await creation.replay(resourceId)) !== null)
        ) {
          throw reused();
        }
        throw error; // refused for its content (nothing written), or the store failed: nothing recorded either
      }
      try {
        const record = { type: 'RecordIdempotencyKeyUse' as const, resourceId, fingerprint: key.fingerprint, now, ttlMs };
        const { events } = await this.commands.run(IDEMPOTENCY, recordId, record, { expected: revision, traceparent: creation.traceparent });
        return { result, replayed: events.length === 0 };
      } catch (error) {
        // Recorded meanwhile by the same request arriving twice: look again (it replays).
        if (error instanceof WrongExpectedRevisionError || (error instanceof DomainError && error.code === 'IdempotencyKeyInUse')) continue;
        throw error;
      }
    }
    throw new HttpException(
      {
        statusCode: 409,
        error: 'Conflict',
        code: 'IdempotencyKeyInFlight',
        message: 'requests with this Idempotency-Key are being processed; retry shortly',
      },
      409,
    );
  }
}

/** UUIDv5 of a name's UTF-8 bytes (a lone surrogate in an owner or key becomes U+FFFD, not a URIError). */
const idOf = (name: string) => uuidv5(Buffer.from(name, 'utf8'), NAMESPACE);

const reused = () =>
  new HttpException(
    {
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'IdempotencyKeyReused',
      message: 'this Idempotency-Key was used for a different request; use a new key',
    },
    422,
  );
