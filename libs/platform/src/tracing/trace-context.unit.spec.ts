import { ROOT_CONTEXT, SpanKind, TraceFlags, context } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { loadConfig } from '../config/herald-config';
import { childSpanContext, formatTraceparent, parseTraceparent, traceOfEvent, traceOfRun } from './trace-context';
import { requestTraceparent } from './http-tracing';
import { Tracing } from './tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const SAMPLED = `00-${TRACE_ID}-${SPAN_ID}-01`;
const HEX = (n: number) => new RegExp(`^[0-9a-f]{${n}}$`);

describe('W3C trace context helpers', () => {
  it('parses a valid traceparent into a remote span context', () => {
    expect(parseTraceparent(SAMPLED)).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`)?.traceFlags).toBe(TraceFlags.NONE);
    // A later version may add fields; its first four are still read (the spec's forward compatibility).
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-01-extra`)?.traceId).toBe(TRACE_ID);
    // A header sent twice counts by its first value.
    expect(parseTraceparent([SAMPLED, `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`])?.traceId).toBe(TRACE_ID);
  });

  it.each([
    ['absent', undefined],
    ['not a string', 42],
    ['empty', ''],
    ['garbage', 'hello'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with extra fields', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
  ])('rejects a traceparent that is %s', (_what, value) => {
    expect(parseTraceparent(value)).toBeNull();
  });

  it('formats version 00 with only the sampled flag, and round-trips', () => {
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED })).toBe(SAMPLED);
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0xff })).toBe(SAMPLED);
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0x02 })).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
    expect(formatTraceparent(parseTraceparent(SAMPLED)!)).toBe(SAMPLED);
  });

  it('draws a child in the parent’s trace with a new span id, keeping its sampled flag', () => {
    const parent = parseTraceparent(SAMPLED)!;
    const a = childSpanContext(parent);
    const b = childSpanContext(parent);
    expect(a).toEqual({ traceId: TRACE_ID, spanId: expect.stringMatching(HEX(16)), traceFlags: TraceFlags.SAMPLED });
    expect(new Set([SPAN_ID, a.spanId, b.spanId]).size).toBe(3);
    expect(childSpanContext(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`)).traceFlags).toBe(TraceFlags.NONE);
  });

  it('starts a new, sampled trace when there is no parent', () => {
    const a = childSpanContext(null);
    const b = childSpanContext(null);
    expect(a).toEqual({ traceId: expect.stringMatching(HEX(32)), spanId: expect.stringMatching(HEX(16)), traceFlags: TraceFlags.SAMPLED });
    expect(a.traceId).not.toBe(b.traceId);
    expect(parseTraceparent(formatTraceparent(a))).not.toBeNull();
  });

  it('reads the trace an event was appended in from its metadata, and a run’s from the latest event that starts one', () => {
    const other = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    const events = [
      { type: 'Defined', metadata: { commandId: 'c1', traceparent: SAMPLED } },
      { type: 'AttemptFailed', metadata: { commandId: 'c2', traceparent: other } },
    ];
    const startsRun = (type: string) => type === 'Defined' || type === 'Retriggered';
    expect(traceOfEvent(events[0])?.traceId).toBe(TRACE_ID);
    expect(traceOfEvent({ metadata: { commandId: 'c0' } })).toBeNull();
    expect(traceOfEvent({ metadata: { traceparent: 'not one' } })).toBeNull();
    expect(traceOfRun(events, startsRun)?.spanId).toBe(SPAN_ID);
    // A retrigger starts a new run: its trace, not the definition's; one from before tracing has none.
    expect(traceOfRun([...events, { type: 'Retriggered', metadata: { traceparent: other } }], startsRun)?.traceId).toBe('a'.repeat(32));
    expect(traceOfRun([...events, { type: 'Retriggered', metadata: {} }], startsRun)).toBeNull();
    expect(traceOfRun([], startsRun)).toBeNull();
  });
});

describe('Tracing', () => {
  it('without an exporter, propagates without recording: a child span context per span', () => {
    const tracing = Tracing.fromConfig(loadConfig({}), 'command-api');
    expect(tracing.recording).toBe(false);
    const parent = parseTraceparent(SAMPLED);
    const span = tracing.startSpan('POST /things', { kind: SpanKind.SERVER, parent });
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({ traceId: TRACE_ID, traceFlags: TraceFlags.SAMPLED });
    expect(span.spanContext().spanId).not.toBe(SPAN_ID);
  });

  it("gives a request's commands one span of the caller's trace, drawn on first use; a new trace without a valid traceparent", () => {
    const request = { headers: { traceparent: SAMPLED } };
    const first = requestTraceparent(request);
    expect(parseTraceparent(first)).toMatchObject({ traceId: TRACE_ID, traceFlags: TraceFlags.SAMPLED });
    expect(parseTraceparent(first)?.spanId).not.toBe(SPAN_ID);
    expect(requestTraceparent(request)).toBe(first);
    const unsampled = parseTraceparent(requestTraceparent({ headers: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` } }));
    expect(unsampled?.traceFlags).toBe(TraceFlags.NONE);
    for (const headers of [{}, { traceparent: 'garbage' }]) {
      const fresh = parseTraceparent(requestTraceparent({ headers }));
      expect(fresh?.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(fresh?.traceId).not.toBe(TRACE_ID);
    }
  });

  it('with a span processor, records spans of the trace it is given, and new roots when given none', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = new Tracing({ serviceName: 'herald-test', processor: new SimpleSpanProcessor(exporter) });
    expect(tracing.recording).toBe(true);
    const server = tracing.startSpan('POST /api/v1/reminders', {
      kind: SpanKind.SERVER,
      parent: parseTraceparent(SAMPLED),
      attributes: { 'http.route': '/x' },
    });
    const client = tracing.startSpan('POST', { kind: SpanKind.CLIENT, parent: server.spanContext() });
    const root = tracing.startSpan('schedule occurrence', { parent: null });
    // A span of an unsampled trace is not recorded (the SDK's default parent-based sampler), but still propagates.
    const unsampled = tracing.startSpan('GET', { kind: SpanKind.SERVER, parent: parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`) });
    expect(unsampled.isRecording()).toBe(false);
    expect(unsampled.spanContext().traceId).toBe(TRACE_ID);
    for (const span of [client, server, root, unsampled]) span.end();
    // Simple processor: exported as each ends (the exporter forgets them at shutdown).
    const spans = exporter.getFinishedSpans();
    await tracing.shutdown();
    expect(spans.map((s) => [s.name, s.kind, s.spanContext().traceId, s.parentSpanContext?.spanId])).toEqual([
      ['POST', SpanKind.CLIENT, TRACE_ID, server.spanContext().spanId],
      ['POST /api/v1/reminders', SpanKind.SERVER, TRACE_ID, SPAN_ID],
      ['schedule occurrence', SpanKind.INTERNAL, root.spanContext().traceId, undefined],
    ]);
    expect(root.spanContext().traceId).not.toBe(TRACE_ID);
    expect(spans[1].attributes).toEqual({ 'http.route': '/x' });
    expect(spans[0].resource.attributes['service.name']).toBe('herald-test');
    expect(ROOT_CONTEXT).toBe(context.active());
  });

  it('names the service herald-<service> unless OTEL_SERVICE_NAME says, and checks the endpoint is an http(s) URL', async () => {
    const tracing = Tracing.fromConfig(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), 'scheduler');
    expect([tracing.recording, tracing.serviceName]).toEqual([true, 'herald-scheduler']);
    await tracing.shutdown();
    expect(Tracing.fromConfig(loadConfig({ OTEL_SERVICE_NAME: 'reminders-eu' }), 'all-in-one').serviceName).toBe('reminders-eu');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('https://otel.example.com/');
  });
});
