import { SpanContext, TraceFlags } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace-node';
import type { RecordedEvent } from '@herald/event-store';

/**
 * W3C trace context (https://www.w3.org/TR/trace-context/) as Herald carries
 * it: a `traceparent` string in the metadata of the events a traced request
 * appended, on the callback request, in a worker's lease. These helpers work
 * without any OpenTelemetry SDK (no exporter configured): parsing is
 * `@opentelemetry/core`'s, ids come from the SDK's id generator (Math.random:
 * a few hundred nanoseconds, no syscall), and nothing here records a span.
 * `tracestate` is neither stored nor forwarded: it belongs to the vendors of
 * the trace's other hops, and Herald keeps one field per event.
 */
export const TRACEPARENT_HEADER = 'traceparent';
/** Reserved next to traceparent: a caller's tracestate would describe some other trace than the one Herald sends. */
export const TRACESTATE_HEADER = 'tracestate';
/** Where a traced command's events keep it (the event's metadata). */
export const TRACEPARENT_METADATA_KEY = 'traceparent';

const ids = new RandomIdGenerator();

/**
 * A valid `traceparent` value as a remote span context, else null: absent,
 * malformed, version `ff`, all-zero ids. A header sent twice counts by its
 * first value (as OpenTelemetry's W3C propagator reads it).
 */
export function parseTraceparent(value: unknown): SpanContext | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return null;
  // Its pattern already refuses all-zero ids and anything but lower-case hex of the right lengths.
  const parsed = parseTraceParent(first);
  if (!parsed) return null;
  parsed.isRemote = true;
  return parsed;
}

/**
 * `00-<trace id>-<span id>-<flags>`. Of the flags only `sampled` is written:
 * the other bits of a version-00 header are not Herald's to vouch for.
 */
export function formatTraceparent(span: SpanContext): string {
  return `00-${span.traceId}-${span.spanId}-0${span.traceFlags & TraceFlags.SAMPLED}`;
}

/**
 * A new span of `parent`'s trace (same trace id and sampled flag, a fresh
 * span id), or the first span of a new trace when there is no parent. A new
 * trace is marked sampled: Herald records nothing without an exporter, but
 * the services it calls (a receiver, a worker) decide with their
 * parent-based samplers, and "sampled" lets them record their part of it.
 */
export function childSpanContext(parent: SpanContext | null): SpanContext {
  if (!parent) return { traceId: ids.generateTraceId(), spanId: ids.generateSpanId(), traceFlags: TraceFlags.SAMPLED };
  return { traceId: parent.traceId, spanId: ids.generateSpanId(), traceFlags: parent.traceFlags & TraceFlags.SAMPLED };
}

/** The span context a stored event was appended in, or null (appended outside a trace, or before Herald traced). */
export function traceOfEvent(event: Pick<RecordedEvent, 'metadata'>): SpanContext | null {
  return parseTraceparent(event.metadata[TRACEPARENT_METADATA_KEY]);
}

/**
 * The trace a run of an aggregate belongs to: that of the latest of its
 * events whose type starts a run (a reminder's definition or retrigger, a
 * task's enqueue or retrigger). Null when there is none or it carries no
 * trace: the caller then starts a new one.
 */
export function traceOfRun(events: readonly Pick<RecordedEvent, 'type' | 'metadata'>[], startsRun: (type: string) => boolean): SpanContext | null {
  for (let i = events.length - 1; i >= 0; i--) if (startsRun(events[i].type)) return traceOfEvent(events[i]);
  return null;
}
