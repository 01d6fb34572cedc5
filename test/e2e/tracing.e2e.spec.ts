import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { eventually } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { RunningHerald, call, removeDataDir, startHerald, tempDataDir } from '../support/herald';
import { HeraldProcess, freePort } from '../support/herald-process';

const W3C = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

/** A traceparent a client of Herald would send: its own trace, its own span. */
function clientTrace() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

/** `{ traceId, parentId, flags }` of a traceparent; fails the test when it is not a valid W3C one. */
function parsed(traceparent: unknown) {
  expect(traceparent).toMatch(W3C);
  const [, traceId, parentId, flags] = W3C.exec(traceparent as string)!;
  return { traceId, parentId, flags };
}

interface HistoryEntry {
  type: string;
  traceparent?: string;
  data: Record<string, unknown>;
}

describe('tracing without an exporter: W3C traceparent from the defining request to the callback and the lease (all-in-one, real receiver)', () => {
  let herald: RunningHerald;
  let receiver: CallbackReceiver;
  let typeSeq = 0;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    herald = await startHerald({ RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '100' });
  });
  afterAll(async () => {
    await herald.close();
    await receiver.stop();
    removeDataDir(herald.dataDir);
  });

  const defineReminder = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const r = await call(`${herald.url}/api/v1/reminders`, { method: 'POST', json: body, headers });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const history = async (kind: 'reminders' | 'tasks', id: string) => (await call(`${herald.url}/api/v1/${kind}/${id}/events`)).body as HistoryEntry[];
  const historyWith = (kind: 'reminders' | 'tasks', id: string, type: string) =>
    eventually(
      () => history(kind, id),
      (events) => events.some((e) => e.type === type),
      { what: `${type} in ${kind}/${id}/events` },
    );
  const callbacks = (id: string, count: number) =>
    eventually(
      () => receiver.for(id),
      (c) => c.length >= count,
      { what: `${count} callback(s) of ${id}` },
    );

  it("sends the callback in the defining request's trace, as a span of its own, and files the events under it", async () => {
    const client = clientTrace();
    const id = await defineReminder({ seconds: 0, address: `${receiver.url}/traced`, payload: { n: 1 } }, { traceparent: client.header });
    const [callback] = await callbacks(id, 1);
    const sent = parsed(callback.headers.traceparent);
    expect(sent.traceId).toBe(client.traceId);
    expect(sent.parentId).not.toBe(client.spanId);
    expect(sent.flags).toBe('01');

    // The log: the definition under the request's span (a child of the client's), the outcome under the attempt's.
    const events = await historyWith('reminders', id, 'ReminderCompleted');
    const defined = parsed(events.find((e) => e.type === 'ReminderDefined')!.traceparent);
    expect(defined.traceId).toBe(client.traceId);
    expect(new Set([defined.parentId, client.spanId, sent.parentId]).size).toBe(3);
    expect(events.find((e) => e.type === 'ReminderCompleted')!.traceparent).toBe(callback.headers.traceparent);
  });

  it('gives every attempt of a retried callback a span of its own in the same trace', async () => {
    let calls = 0;
    receiver.on('/flaky-traced', (_c, res) => (++calls === 1 ? res.writeHead(503).end('down') : res.writeHead(204).end()));
    const client = clientTrace();
    const id = await defineReminder({ seconds: 0, address: `${receiver.url}/flaky-traced` }, { traceparent: client.header });
    const [first, second] = await callbacks(id, 2);
    expect([first.body.attempt, second.body.attempt]).toEqual([1, 2]);
    const [a, b] = [parsed(first.headers.traceparent), parsed(second.headers.traceparent)];
    expect([a.traceId, b.traceId]).toEqual([client.traceId, client.traceId]);
    expect(a.parentId).not.toBe(b.parentId);
    const events = await historyWith('reminders', id, 'ReminderCompleted');
    expect(events.find((e) => e.type === 'CallbackAttemptFailed')!.traceparent).toBe(first.headers.traceparent);
    expect(events.find((e) => e.type === 'ReminderCompleted')!.traceparent).toBe(second.headers.traceparent);
  });

  it('starts a trace for a request without a traceparent, or with an invalid one: the callback still carries a valid one', async () => {
    const sent: Record<string, string>[] = [{}, { traceparent: `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` }, { traceparent: 'not-a-traceparent' }];
    for (const headers of sent) {
      const id = await defineReminder({ seconds: 0, address: `${receiver.url}/untraced` }, headers);
      const [callback] = await callbacks(id, 1);
      const sent = parsed(callback.headers.traceparent);
      expect(sent.traceId).not.toBe('0'.repeat(32));
      const defined = (await history('reminders', id)).find((e) => e.type === 'ReminderDefined')!;
      expect(parsed(defined.traceparent).traceId).toBe(sent.traceId);
    }
    // Each request without a valid one got a trace of its own.
    const traces = receiver.received.filter((c) => c.path === '/untraced').map((c) => parsed(c.headers.traceparent).traceId);
    expect(new Set(traces).size).toBe(traces.length);
  });

  it('refuses traceparent and tracestate as caller headers of a callback (Herald sends its own)', async () => {
    for (const name of ['traceparent', 'Tracestate']) {
      const r = await call(`${herald.url}/api/v1/reminders`, {
        method: 'POST',
        json: { seconds: 60, address: `${receiver.url}/never`, headers: { [name]: `00-${clientTrace().traceId}-${'1'.repeat(16)}-01` } },
      });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain(`headers.${name} is reserved`);
    }
  });

  it("leases a task in its enqueue request's trace, and files the worker's report under the trace it sends", async () => {
    const type = `tracing.type-${++typeSeq}`;
    const client = clientTrace();
    const enqueued = await call(`${herald.url}/api/v1/tasks`, {
      method: 'POST',
      json: { type, params: { n: 1 } },
      headers: { traceparent: client.header },
    });
    expect(enqueued.status).toBe(202);
    const taskId = enqueued.body.id as string;

    const lease = async () =>
      (await call(`${herald.url}/api/v1/workers/leases`, { method: 'POST', json: { workerId: 'tracing-worker', types: [type], waitMs: 1_000 } })).body
        .leases as { token: string; taskId: string; traceparent?: string }[];
    const [leased] = await eventually(lease, (leases) => leases.length === 1, { what: `a lease on ${type}` });
    expect(leased.taskId).toBe(taskId);
    const given = parsed(leased.traceparent);
    expect(given.traceId).toBe(client.traceId);
    expect(given.parentId).not.toBe(client.spanId);

    // A worker continuing the trace sends the lease's traceparent on its calls: the completion is filed in the task's trace.
    const done = await call(`${herald.url}/api/v1/workers/leases/${leased.token}/complete`, {
      method: 'POST',
      json: { result: { ok: true } },
      headers: { traceparent: leased.traceparent! },
    });
    expect(done.status).toBe(200);
    const events = await history('tasks', taskId);
    const traceOf = (type: string) => parsed(events.find((e) => e.type === type)!.traceparent);
    expect(traceOf('TaskEnqueued').traceId).toBe(client.traceId);
    expect(events.find((e) => e.type === 'TaskLeased')!.traceparent).toBe(leased.traceparent);
    expect(traceOf('TaskCompleted').traceId).toBe(client.traceId);
    expect(traceOf('TaskCompleted').parentId).not.toBe(given.parentId); // the complete request's own span, a child of the lease's
  });

  it("starts a trace per schedule occurrence: its reminder's callback carries it, not the trace that created the schedule", async () => {
    const client = clientTrace();
    const created = await call(`${herald.url}/api/v1/schedules`, {
      method: 'POST',
      json: { cron: '* * * * * *', target: { reminder: { address: `${receiver.url}/scheduled-traced` } } },
      headers: { traceparent: client.header },
    });
    expect(created.status).toBe(201);
    const [first, second] = await eventually(
      () => receiver.received.filter((c) => c.path === '/scheduled-traced'),
      (c) => c.length >= 2,
      { what: 'two occurrences of the schedule', timeoutMs: 15_000 },
    );
    await call(`${herald.url}/api/v1/schedules/${created.body.id}`, { method: 'DELETE' });
    const [a, b] = [parsed(first.headers.traceparent), parsed(second.headers.traceparent)];
    expect(a.traceId).not.toBe(b.traceId);
    expect([a.traceId, b.traceId]).not.toContain(client.traceId);
    const defined = (await history('reminders', first.body.reminderId)).find((e) => e.type === 'ReminderDefined')!;
    expect(parsed(defined.traceparent).traceId).toBe(a.traceId);
  });
});

/** A stand-in OpenTelemetry collector: OTLP/HTTP with JSON bodies (what @opentelemetry/exporter-trace-otlp-http sends), every span kept. */
class Collector {
  readonly spans: {
    service: string;
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    name: string;
    kind: number;
    attributes: Record<string, unknown>;
  }[] = [];
  /** `<method> <path> <content-type>` of each export request. */
  readonly requests: string[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        this.collect(JSON.parse(Buffer.concat(chunks).toString()) as OtlpTraces);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private collect(body: OtlpTraces): void {
    for (const { resource, scopeSpans } of body.resourceSpans) {
      const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
      for (const { spans } of scopeSpans) {
        for (const span of spans) {
          const attributes = Object.fromEntries(span.attributes.map((a) => [a.key, a.value.stringValue ?? a.value.intValue]));
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId,
            name: span.name,
            kind: span.kind,
            attributes,
          });
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
}
interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { spans: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: OtlpAttribute[] }[] }[];
  }[];
}

/** OTLP's span kinds (the protobuf enum, as the JSON encoding writes them). */
const SERVER = 2;
const CLIENT = 3;

/**
 * The built app as its own process (`npm run build` first): the OTLP exporter loads node:http with a dynamic
 * import, which jest's module sandbox cannot run, and the process is what production runs anyway.
 */
describe('tracing with OTEL_EXPORTER_OTLP_ENDPOINT: spans exported over OTLP/HTTP (built all-in-one process, local collector, real receiver)', () => {
  let herald: HeraldProcess;
  let dataDir: string;
  let receiver: CallbackReceiver;
  let collector: Collector;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
    collector = await new Collector().start();
    dataDir = tempDataDir();
    herald = new HeraldProcess('all-in-one', { PORT: String(await freePort()), DATA_DIR: dataDir, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
    await herald.start();
  });
  afterAll(async () => {
    await herald.stop();
    await receiver.stop();
    await collector.stop();
    removeDataDir(dataDir);
  });

  it("exports the defining POST's server span and the callback's client span in the caller's trace, flushed at shutdown", async () => {
    const client = clientTrace();
    const r = await call(`${herald.url}/api/v1/reminders`, {
      method: 'POST',
      json: { seconds: 0, address: `${receiver.url}/exported` },
      headers: { traceparent: client.header },
    });
    expect(r.status).toBe(201);
    const [callback] = await eventually(
      () => receiver.for(r.body.id),
      (c) => c.length >= 1,
      { what: 'the callback' },
    );
    // Completed: the attempt's span has ended (before its outcome was appended), so it is in the batch.
    await eventually(
      () => call(`${herald.url}/api/v1/reminders/${r.body.id}`),
      (g) => g.body?.status === 'Completed',
      { what: 'the reminder completed' },
    );
    // The batch processor exports every 5 s; SIGTERM's shutdown flushes what is left before the process exits.
    await herald.stop();

    const spans = await eventually(
      () => collector.spans.filter((s) => s.traceId === client.traceId),
      (found) => found.length >= 2,
      { what: `two spans of trace ${client.traceId}` },
    );
    const server = spans.find((s) => s.kind === SERVER && s.name === 'POST /api/v1/reminders');
    const attempt = spans.find((s) => s.kind === CLIENT);
    expect(server).toMatchObject({
      service: 'herald-all-in-one',
      parentSpanId: client.spanId,
      attributes: { 'http.request.method': 'POST', 'http.route': '/api/v1/reminders', 'http.response.status_code': 201 },
    });
    expect(attempt).toMatchObject({
      service: 'herald-all-in-one',
      name: 'POST',
      parentSpanId: server!.spanId,
      attributes: { 'http.request.method': 'POST', 'http.response.status_code': 204, 'herald.reminder.id': r.body.id, 'herald.callback.attempt': 1 },
    });
    // The receiver was sent the attempt's span: its own spans continue this very trace.
    expect(callback.headers.traceparent).toBe(`00-${client.traceId}-${attempt!.spanId}-01`);
    expect(collector.requests.length).toBeGreaterThan(0);
    expect(collector.requests.every((c) => c === 'POST /v1/traces application/json')).toBe(true);
  });
});
