import { OnApplicationShutdown } from '@nestjs/common';
import { Attributes, ROOT_CONTEXT, Span, SpanContext, SpanKind, Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { HeraldConfig } from '../config/herald-config';
import { childSpanContext } from './trace-context';

export interface StartSpanOptions {
  readonly kind?: SpanKind;
  /** The span this one continues (a request's traceparent, an event's); null: the first span of a new trace. */
  readonly parent: SpanContext | null;
  /** Only read when spans are recorded (an exporter is configured). */
  readonly attributes?: Attributes;
}

export interface TracingOptions {
  /** `service.name` of the recorded spans. */
  readonly serviceName: string;
  /** Where recorded spans go. None: nothing is recorded, trace context is still propagated. */
  readonly processor?: SpanProcessor;
}

/**
 * A service's tracing. Always propagates W3C trace context (each HTTP
 * request, callback attempt and lease gets a span context of the trace it
 * belongs to); records and exports spans only when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set. Without an exporter a span is OpenTelemetry's non-recording span
 * around a span context drawn here: no SDK, no span processor, no attribute
 * or timing work on the hot paths (a callback attempt costs one id and one
 * string), and `recording` lets callers skip building attributes at all.
 *
 * One instance per app, nothing registered globally (no context manager
 * either: spans name their parent explicitly, and a request's span reaches
 * the command path as an argument, see RequestTraceparent): several apps in
 * one process (the e2e tests) keep their own providers and exporters.
 */
export class Tracing implements OnApplicationShutdown {
  readonly recording: boolean;
  readonly serviceName: string;
  private readonly provider: NodeTracerProvider | null;
  private readonly tracer: Tracer | null;

  constructor(options: TracingOptions) {
    this.serviceName = options.serviceName;
    if (!options.processor) {
      this.recording = false;
      this.provider = null;
      this.tracer = null;
      return;
    }
    // OTEL_RESOURCE_ATTRIBUTES (deployment.environment, …) from the process environment; the service name wins over it.
    const resource = defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resourceFromAttributes({ 'service.name': options.serviceName }));
    // The sampler is the SDK's default (parent-based, always on), or OTEL_TRACES_SAMPLER's.
    this.provider = new NodeTracerProvider({ resource, spanProcessors: [options.processor] });
    this.tracer = this.provider.getTracer('herald');
    this.recording = true;
  }

  /**
   * The service's tracing from its config: OTLP over HTTP (JSON) to
   * `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces` through a batch processor when
   * the endpoint is set; the exporter's other standard variables
   * (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION) and the batch
   * processor's (OTEL_BSP_*) are read from the environment by the SDK.
   */
  static fromConfig(config: HeraldConfig, service: string): Tracing {
    const serviceName = config.OTEL_SERVICE_NAME || `herald-${service}`;
    const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (!endpoint) return new Tracing({ serviceName });
    const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
    return new Tracing({ serviceName, processor: new BatchSpanProcessor(exporter) });
  }

  /** A propagating-only instance, for code built without the app's (specs). */
  static propagatingOnly(): Tracing {
    return new Tracing({ serviceName: 'herald' });
  }

  /** Starts a span; end it with `end()`. Its `spanContext()` is what to propagate. */
  startSpan(name: string, options: StartSpanOptions): Span {
    const { parent } = options;
    if (!this.tracer) return trace.wrapSpanContext(childSpanContext(parent));
    const parentContext = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
    return this.tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, root: !parent }, parentContext);
  }

  /** Exports what is still buffered, then stops; spans ended later are dropped. */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
  }

  /** After the HTTP server has closed (Nest's last hook): the spans of the last requests are flushed too. */
  onApplicationShutdown(): Promise<void> {
    return this.shutdown();
  }
}
