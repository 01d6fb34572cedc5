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
  /** When the resource was created (ISO 8601, the service's clock): tells a request still in flight from one that crashed. */
  createdAtOf(resource: R): string;
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
 *   time (`Idempotent-Replayed: true`) and creates nothing;
 * - while the first is in flight (its resource created, its use not yet
 *   recorded, the resource younger than IDEMPOTENCY_IN_FLIGHT_MS) → 409
 *   IdempotencyKeyInFlight, whatever the request: the draft's answer to a
 *   concurrent repeat, and the first's outcome is not known yet;
 * - the same key with another request → 422;
 * - a request the domain refuses writes nothing at all (no claim to undo),
 *   and the key stays free for a corrected one;
 * - a crash between the two appends (the resource older than the in-flight
 *   window, its use unrecorded) is finished by the client's retry: the same
 *   resource id and command id, recognised, then the use recorded.
 * Two requests that both look before either has created anything both
 * create: the second's create is the first's command, recognised, and both
 * answer the one resource. While the record itself is being contended past
 * a few tries → 409 too. A request without a key costs nothing of this; a
 * key's first request costs one read more than creating (the look for a
 * resource in flight).
 */
@Injectable()
export class IdempotentCreation {
  constructor(
    private readonly commands: CommandRunner,
    private readonly config: HeraldConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * `create` with a fresh id when the request has no key; else as above. Sets
   * `Idempotent-Replayed` on a replay, and `Retry-After` on a 409.
   */
  async create<R>(key: IdempotencyKey | null, reply: FastifyReply, creation: Creation<R> & { freshId: () => string }): Promise<R> {
    if (!key) return creation.create(creation.freshId(), creation.freshId());
    try {
      const { result, replayed } = await this.run(key, creation);
      if (replayed) void reply.header('idempotent-replayed', 'true');
      return result;
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 409) void reply.header('retry-after', '1');
      throw error;
    }
  }

  async run<R>(key: IdempotencyKey, creation: Creation<R>): Promise<{ result: R; replayed: boolean }> {
    const recordId = idOf(`${key.kind}\u0000${key.owner ?? ''}\u0000${key.value}`);
    const ttlMs = this.config.IDEMPOTENCY_TTL_MS;
    let created: string | null = null;
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
      // Without a use, a resource already there is another request's with this key (unless this call made it on an earlier try).
      const unrecorded = use || resourceId === created ? null : await this.unrecorded(creation, resourceId, now);
      const made = await this.createOrRefuse(creation, resourceId, key);
      created = resourceId;
      try {
        const record = { type: 'RecordIdempotencyKeyUse' as const, resourceId, fingerprint: key.fingerprint, now, ttlMs };
        const { events } = await this.commands.run(IDEMPOTENCY, recordId, record, { expected: revision, traceparent: creation.traceparent });
        // A crashed request finished: the resource as it was created, not an answer worked out again now (a relative due time).
        return { result: unrecorded ?? made, replayed: events.length === 0 };
      } catch (error) {
        // Recorded meanwhile by the same request arriving twice: look again (it replays).
        if (error instanceof WrongExpectedRevisionError || (error instanceof DomainError && error.code === 'IdempotencyKeyInUse')) continue;
        throw error;
      }
    }
    throw inFlight();
  }

  /**
   * The resource a key's request created without recording its use (null
   * when there is none): 409 while it is younger than
   * IDEMPOTENCY_IN_FLIGHT_MS (that request is still running); older, its
   * request crashed between the two appends, and this one finishes it.
   */
  private async unrecorded<R>(creation: Creation<R>, resourceId: string, now: Date): Promise<R | null> {
    const existing = await creation.replay(resourceId);
    if (existing !== null && now.getTime() - Date.parse(creation.createdAtOf(existing)) < this.config.IDEMPOTENCY_IN_FLIGHT_MS) {
      throw inFlight();
    }
    return existing;
  }

  /** Creates the resource; a 422 when its id is taken by another request's command (the key was used for a different request). */
  private async createOrRefuse<R>(creation: Creation<R>, resourceId: string, key: IdempotencyKey): Promise<R> {
    try {
      return await creation.create(resourceId, derivedCommandId(`idempotent-create:${resourceId}:${key.fingerprint}`));
    } catch (error) {
      if (
        error instanceof WrongExpectedRevisionError ||
        (error instanceof DomainError && error.kind === 'conflict' && (await creation.replay(resourceId)) !== null)
      ) {
        throw reused();
      }
      throw error; // refused for its content (nothing written), or the store failed: nothing recorded either
    }
  }
}

/** UUIDv5 of a name's UTF-8 bytes (a lone surrogate in an owner or key becomes U+FFFD, not a URIError). */
const idOf = (name: string) => uuidv5(Buffer.from(name, 'utf8'), NAMESPACE);

const inFlight = () =>
  new HttpException(
    {
      statusCode: 409,
      error: 'Conflict',
      code: 'IdempotencyKeyInFlight',
      message: 'a request with this Idempotency-Key is still being processed; retry shortly (Retry-After) for its answer',
    },
    409,
  );

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
