import type { GraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PrivacyExtension } from '../privacy/enforcement/notices';
import type { GatewayContext } from './context';

/** Seconds: from a cached `__typename` to a heavy page of contacts with their calls. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Operation names are chosen by clients: past this many distinct names, the rest count as "other". */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

const seconds = (startedAt: bigint) => Number(process.hrtime.bigint() - startedAt) / 1e9;

/**
 * The gateway's Prometheus metrics: HTTP requests, GraphQL operations by name and result code,
 * latency histograms, subgraph fetches, and the personal values the policy hid, by effect and reason.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();

  private readonly httpInFlight = new Gauge({ name: 'gateway_http_requests_in_flight', help: 'HTTP requests being answered', registers: [this.registry] });
  private readonly httpRequests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly operations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations, by operation name and result code (OK or the first error code)',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });
  private readonly operationSeconds = new Histogram({
    name: 'gateway_graphql_operation_duration_seconds',
    help: 'Time to answer one GraphQL operation, by operation name',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly fetchSeconds = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Time of one fetch from a subgraph, by subgraph',
    labelNames: ['subgraph'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly fetchErrors = new Counter({
    name: 'gateway_subgraph_fetch_errors_total',
    help: 'Subgraph fetches that failed or answered with errors, by subgraph and first error code',
    labelNames: ['subgraph', 'code'] as const,
    registers: [this.registry],
  });
  private readonly privacyValues = new Counter({
    name: 'gateway_privacy_values_total',
    help: 'Personal values not shown in full in answers, by effect and reason (from extensions.privacy)',
    labelNames: ['effect', 'reason'] as const,
    registers: [this.registry],
  });

  /** Express middleware counting every HTTP request by route and status. */
  readonly http: RequestHandler = (req, res, next) => {
    // Read now: routers mounted further down rewrite req.path.
    const route = routeOf(req.path);
    this.httpInFlight.inc();
    res.once('close', () => {
      this.httpInFlight.dec();
      this.httpRequests.inc({ route, status: String(res.statusCode) });
    });
    next();
  };

  /** A label for a client's operation name, with bounded cardinality. */
  private operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }

  /**
   * Apollo plugin: one count and one latency per operation (each operation of a batch on its own),
   * and the privacy notices of its answer. Register it after the plugin that merges the notices:
   * it reads the `extensions.privacy` that plugin wrote.
   */
  plugin(): ApolloServerPlugin<GatewayContext> {
    const metrics = this;
    return {
      async requestDidStart({ request }) {
        const startedAt = process.hrtime.bigint();
        return {
          async willSendResponse({ response, operationName }) {
            const operation = metrics.operationLabel(operationName ?? request.operationName);
            metrics.operationSeconds.observe({ operation }, seconds(startedAt));
            if (response.body.kind !== 'single') return;
            const { errors, extensions } = response.body.singleResult;
            const code = errors?.length ? String(errors[0]!.extensions?.code ?? 'UNKNOWN') : 'OK';
            metrics.operations.inc({ operation, code });
            const privacy = extensions?.privacy as PrivacyExtension | undefined;
            for (const notice of privacy?.notices ?? []) metrics.privacyValues.inc({ effect: notice.effect, reason: notice.reason }, notice.rows.length);
          },
        };
      },
    };
  }

  /** Wraps a subgraph's data source to time each fetch and count the failed ones. */
  measure<T extends GraphQLDataSource<GatewayContext>>(subgraph: string, source: T): T {
    const metrics = this;
    return new Proxy(source, {
      get(target, property, receiver) {
        if (property !== 'process') return Reflect.get(target, property, receiver);
        return async (options: Parameters<T['process']>[0]) => {
          const startedAt = process.hrtime.bigint();
          try {
            const response = await target.process(options);
            if (response.errors?.length) metrics.fetchErrors.inc({ subgraph, code: String(response.errors[0]!.extensions?.code ?? 'UNKNOWN') });
            return response;
          } catch (error) {
            metrics.fetchErrors.inc({ subgraph, code: String((error as { extensions?: { code?: unknown } })?.extensions?.code ?? 'FETCH_FAILED') });
            throw error;
          } finally {
            metrics.fetchSeconds.observe({ subgraph }, seconds(startedAt));
          }
        };
      },
    });
  }
}

const ROUTES = ['/graphql', '/health', '/health/live', '/health/ready', '/metrics'];

/** Known routes by name; everything else (playground assets, unknown paths) as one label each. */
function routeOf(path: string): string {
  if (ROUTES.includes(path)) return path;
  if (path === '/' || path.startsWith('/playground/')) return 'playground';
  if (path.startsWith('/dev/')) return 'dev';
  return 'other';
}
