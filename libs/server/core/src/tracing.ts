// OpenTelemetry tracing of a MicroNote process: its own entry point (`@micronote/server-core/tracing`)
// because it must run before @grpc/grpc-js, http, mysql2 and ioredis are first required, and the
// main entry point requires them all. Every app's `src/tracing.ts` calls `startTracing` and is the
// first import of its `main.ts`.
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-node';
import { BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, SamplingDecision } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** Probes and scrapes make no spans. */
const UNTRACED_PATHS = /^\/(metrics|health)(\/|\?|$)/;

let provider: NodeTracerProvider | undefined;

/**
 * Traces start at incoming requests (HTTP or gRPC server spans) only: the periodic queries of
 * background jobs (trash and account purgers) and the event subscriber would otherwise fill the
 * tracing backend with one-span traces. Spans inside a trace follow their parent's decision.
 */
class IncomingRequestsOnly implements Sampler {
  shouldSample(_context: unknown, _traceId: string, _name: string, kind: SpanKind): SamplingResult {
    return { decision: kind === SpanKind.SERVER ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return 'IncomingRequestsOnly';
  }
}

/**
 * Turns tracing on when OTEL_EXPORTER_OTLP_ENDPOINT is set (e.g. `http://jaeger:4318`): spans of
 * incoming and outgoing HTTP, gRPC (client and server, the context travels in the call's
 * `traceparent` metadata), MySQL (mysql2) and Redis (ioredis) calls, exported in batches over
 * OTLP/HTTP. The standard OTEL_* variables apply (OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER,
 * OTEL_BSP_SCHEDULE_DELAY, …) but the sampler: every incoming request is traced. Returns whether
 * tracing is on.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT'] || provider) return provider !== undefined;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env['OTEL_SERVICE_NAME'] || serviceName,
      [ATTR_SERVICE_VERSION]: env['npm_package_version'] || '0.1.0',
    }),
    sampler: new ParentBasedSampler({ root: new IncomingRequestsOnly() }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The W3C trace-context propagator and the AsyncLocalStorage context manager.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? '') }),
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch'] }),
      // Statements without their values (note text, e-mail addresses): bound and literal values become `?`.
      new MySQL2Instrumentation({ maskStatement: true }),
      // The command name only: arguments hold keys with session ids, and cached note text.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  return true;
}

/** Exports the spans still buffered (on shutdown); a no-op when tracing is off. */
export async function flushTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}
