import { z } from 'zod';
import { parseEnv } from './env';

/**
 * OpenTelemetry tracing, off unless an operator turns it on:
 * - `TRACING=otlp` exports spans over OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 *   `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`; the standard OpenTelemetry variables, headers included);
 * - `TRACING=console` prints them (to try it out);
 * - `TRACING_SAMPLE_RATIO` keeps that share of new traces (a caller's sampled trace is always followed).
 * Spans: each HTTP request in and out (so a gateway trace continues into the subgraphs through the
 * W3C `traceparent` header) and GraphQL parse, validate and execute. Probes and /metrics are not
 * traced. No span carries a personal value: HTTP spans hold method, route and status; GraphQL spans
 * the operation, never its variables or results.
 */
const schema = z.object({
  TRACING: z.enum(['off', 'otlp', 'console']).default('off'),
  TRACING_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  OTEL_SERVICE_NAME: z.string().optional(),
});

export interface Tracing {
  /** Sends the spans still buffered; call it when the process stops. */
  shutdown(): Promise<void>;
}

const NOT_TRACED = /^\/(health(\/live|\/ready)?|metrics)$/;

/**
 * Starts tracing when configured. Call it before anything else is loaded: the instrumentations
 * patch `http` and `graphql` as they are required.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing {
  const config = parseEnv(schema, env);
  if (config.TRACING === 'off') return { shutdown: async () => {} };

  // Loaded only when on: tracing off costs nothing.
  const { NodeTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, ConsoleSpanExporter, ParentBasedSampler, TraceIdRatioBasedSampler } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  // The gateway fetches from subgraphs through undici's pool: its requests carry the trace on.
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');

  const processor =
    config.TRACING === 'otlp'
      ? new BatchSpanProcessor(new (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter())
      : new SimpleSpanProcessor(new ConsoleSpanExporter());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME ?? serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.TRACING_SAMPLE_RATIO) }),
    spanProcessors: [processor],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => NOT_TRACED.test((req.url ?? '').split('?')[0]!) }),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true, allowValues: false }),
      new UndiciInstrumentation(),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}
