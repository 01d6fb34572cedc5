import { HttpException, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { FastifyReply } from 'fastify';
import { LOCATION_HEADER, Principal, RETRY_AFTER_HEADER, UNRESTRICTED } from '@herald/platform';
import { CreateRoute, ResourceCreation, createResource } from './create-resource';
import { fingerprintOf, IdempotencyKey } from './idempotency-key';
import { Creation, IdempotentCreation } from './idempotent-creation';
import { recordingReply } from './recording-reply.unit-helpers';

interface Thing {
  thingId: string;
  owner: string | null;
  createdAt?: string;
}

/** IdempotentCreation as a create route sees it: without a key, a fresh id; with one, what `answer` says. */
function fakeIdempotent(answer?: (key: IdempotencyKey, creation: Creation<Thing>) => Promise<Thing>) {
  const calls: { key: IdempotencyKey | null; traceparent?: string }[] = [];
  const idempotent = {
    create: (key: IdempotencyKey | null, _reply: FastifyReply, creation: Creation<Thing> & { freshId: () => string }) => {
      calls.push({ key, traceparent: creation.traceparent });
      return key && answer ? answer(key, creation) : creation.create(creation.freshId(), creation.freshId());
    },
  };
  return { idempotent: idempotent as unknown as IdempotentCreation, calls };
}

const things = (created: { thingId: string; commandId: string; owner: string | null }[]): ResourceCreation<Thing> => ({
  kind: 'thing',
  collection: '/api/v1/things',
  create: async (thingId, { commandId, owner }) => {
    created.push({ thingId, commandId, owner });
    return { thingId, owner };
  },
  replay: async (thingId) => ({ thingId, owner: 'earlier', createdAt: '2027-01-01T00:00:00.000Z' }),
  createdAtOf: (thing) => thing.createdAt!,
  idOf: (thing) => thing.thingId,
});

/** Where @nestjs/swagger keeps a route's documented responses and parameters (its DECORATORS, not exported). */
const API_RESPONSE = 'swagger/apiResponse';
const API_PARAMETERS = 'swagger/apiParameters';

const keyed: Principal = { keyId: 'k1', scopes: new Set(), owner: 'acme' };
const TRACE = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('createResource: the sequence of every create route', () => {
  it('creates under a fresh id for the caller, under the request trace, and answers Location', async () => {
    const { reply, headers } = recordingReply();
    const { idempotent, calls } = fakeIdempotent();
    const created: { thingId: string; commandId: string; owner: string | null }[] = [];

    const thing = await createResource(idempotent, { body: { name: 'x' }, reply, caller: keyed, traceparent: TRACE }, things(created));

    expect(created).toEqual([{ thingId: thing.thingId, commandId: expect.any(String), owner: 'acme' }]);
    expect(headers).toEqual({ Location: `/api/v1/things/${thing.thingId}` });
    expect(calls).toEqual([{ key: null, traceparent: TRACE }]);
  });

  it("takes the body's owner from an unrestricted caller, and refuses one a keyed caller may not act for (403, nothing created)", async () => {
    const created: { thingId: string; commandId: string; owner: string | null }[] = [];
    const { idempotent } = fakeIdempotent();
    const request = { reply: recordingReply().reply, traceparent: TRACE };

    await createResource(idempotent, { ...request, body: { owner: 'bob' }, caller: UNRESTRICTED }, things(created));
    expect(created.map((c) => c.owner)).toEqual(['bob']);

    const refused = createResource(idempotent, { ...request, body: { owner: 'bob' }, caller: keyed }, things(created));
    await expect(refused).rejects.toThrow(HttpException);
    await expect(refused).rejects.toMatchObject({ status: 403 });
    expect(created).toHaveLength(1);
  });

  it('passes the Idempotency-Key (per kind and owner, fingerprinted with the route and body) and answers Location for a replay', async () => {
    const { reply, headers } = recordingReply();
    const createdAt: string[] = [];
    const { idempotent, calls } = fakeIdempotent(async (_key, creation) => {
      const earlier = (await creation.replay('t-1'))!;
      createdAt.push(creation.createdAtOf(earlier));
      return earlier;
    });
    const body = { name: 'x' };

    const thing = await createResource(idempotent, { body, reply, caller: keyed, traceparent: TRACE, idempotencyKey: '"k-1"' }, things([]));

    expect(thing).toEqual({ thingId: 't-1', owner: 'earlier', createdAt: '2027-01-01T00:00:00.000Z' });
    expect(createdAt).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(calls[0].key).toEqual({ value: 'k-1', owner: 'acme', kind: 'thing', fingerprint: fingerprintOf('POST /api/v1/things', body) });
    expect(headers).toEqual({ Location: '/api/v1/things/t-1' });
  });

  it('refuses a malformed Idempotency-Key with a 400 before anything is created', async () => {
    const created: { thingId: string; commandId: string; owner: string | null }[] = [];
    const { idempotent, calls } = fakeIdempotent();
    const request = { body: {}, reply: recordingReply().reply, caller: keyed, traceparent: TRACE, idempotencyKey: '' };

    await expect(createResource(idempotent, request, things(created))).rejects.toMatchObject({ status: 400 });
    expect(calls).toHaveLength(0);
    expect(created).toHaveLength(0);
  });
});

describe('CreateRoute: the route and document of a create endpoint', () => {
  class ThingDto {}
  class Things {
    @CreateRoute({ status: 201, type: ThingDto, description: 'Created' })
    create() {}

    @CreateRoute({ status: 202, type: ThingDto, description: 'Queued', headers: RETRY_AFTER_HEADER })
    enqueue() {}
  }

  it('is a POST to the collection answering its status', () => {
    expect(Reflect.getMetadata(METHOD_METADATA, Things.prototype.create)).toBe(RequestMethod.POST);
    expect(Reflect.getMetadata(PATH_METADATA, Things.prototype.create)).toBe('/');
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, Things.prototype.create)).toBe(201);
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, Things.prototype.enqueue)).toBe(202);
  });

  it('documents the answer with Location, its own headers and Idempotent-Replayed, the Idempotency-Key, 400, 409 (with Retry-After) and 422', () => {
    const responses = Reflect.getMetadata(API_RESPONSE, Things.prototype.enqueue) as Record<string, { headers?: object }>;
    expect(Object.keys(responses).sort()).toEqual(['202', '400', '409', '422']);
    expect(Object.keys(responses['409'].headers!)).toEqual(['Retry-After']);
    expect(Object.keys(responses['202'].headers!)).toEqual([...Object.keys(LOCATION_HEADER), 'Retry-After', 'Idempotent-Replayed']);
    const parameters = Reflect.getMetadata(API_PARAMETERS, Things.prototype.create) as { name: string; in: string }[];
    expect(parameters).toEqual([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]);
  });
});
