import fs from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { listen, once, type RunningServer } from '../platform/http';
import { httpErrorHandler, noStore, operationsPerRequest } from '../platform/http-errors';
import type { LocalEndpoint } from '../platform/local-endpoint';
import { childLogger } from '../platform/logger';
import { metricsHandler } from '../platform/metrics';
import { currentRequestId, requestIdMiddleware } from '../platform/request-id';
import { ContextSigner } from '../privacy/signed-context';
import { Authenticator } from './auth';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { authenticateAtEdge, callerOf, checkOperations } from './edge-checks';
import { corsAllowList } from './cors';
import { formatGatewayError, refusalStatus } from './errors';
import { healthHandler, liveHandler } from './health';
import { costLimit } from './limits';
import { GatewayMetrics } from './metrics';
import { disableVendorTelemetry } from './vendor-telemetry';
import { playgroundRouter } from './playground';
import { privacyNotices } from './privacy-notices';
import { requireAuthentication } from './require-authentication';
import { SignedContextDataSource } from './signed-data-source';
import { localFetcher, subgraphAgent, subgraphFetcher } from './subgraph-fetcher';

const log = childLogger('gateway');

/** Subgraph name -> URL, read from the supergraph's join__Graph values, then config overrides. */
export function subgraphUrlsOf(supergraphSdl: string, overrides: GatewayConfig['subgraphUrls']): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const match of supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)) {
    urls[match[1]!] = overrides[match[1]!] ?? match[2]!;
  }
  return urls;
}

export interface GatewayOptions {
  /**
   * Subgraphs running in this process (`npm start`), called without a socket; the others are
   * fetched over HTTP. Either way each fetch carries its signed context and its deadline.
   */
  localSubgraphs?: Partial<Record<string, LocalEndpoint>>;
}

/** Starts the gateway on a static supergraph; resolves once it listens and the supergraph is loaded. */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningServer> {
  const supergraphSdl = fs.readFileSync(config.supergraphPath, 'utf8');
  const urls = subgraphUrlsOf(supergraphSdl, config.subgraphUrls);
  const signer = new ContextSigner(config.internalSecret);
  const authenticator = await Authenticator.create(config.jwt);
  const metrics = new GatewayMetrics();

  let loaded = false;
  let apiSchema: GraphQLSchema | undefined;
  let stopping = false;
  disableVendorTelemetry();
  const agent = subgraphAgent();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const local = options.localSubgraphs?.[name];
      const fetcher = local ? localFetcher(name, local, { timeoutMs: config.subgraphTimeoutMs }) : subgraphFetcher(name, { timeoutMs: config.subgraphTimeoutMs, agent });
      return metrics.measure(name, new SignedContextDataSource(name, urls[name] ?? url ?? '', signer, fetcher));
    },
  });
  gateway.onSchemaLoadOrUpdate((update) => {
    loaded = true;
    apiSchema = update.apiSchema;
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Introspection is refused by checkOperations (with its own code, at any depth) when the config says so.
    introspection: true,
    // No "Did you mean …?" in production errors: they would map the schema for anyone.
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    // The process stops it (platform/shutdown.ts) once its HTTP requests in flight are answered.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    formatError: (formatted, error) => formatGatewayError(formatted, error, currentRequestId()),
    allowBatchedHttpRequests: config.limits.maxOperations > 1,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Answers are personal and differ per caller: never cacheable (see noStore), so no per-field cache hints either.
      ApolloServerPluginCacheControlDisabled(),
      requireAuthentication,
      privacyNotices,
      refusalStatus,
      costLimit(config.limits.maxCost),
      // After privacyNotices: counts the notices it merged.
      metrics.plugin(),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(metrics.http);
  app.use(corsAllowList(config.corsOrigins));
  const ready = healthHandler({
    isSupergraphLoaded: () => loaded,
    subgraphHealthUrls: Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, url.replace(/\/graphql$/, '/health')])),
    timeoutMs: config.healthTimeoutMs,
    isStopping: () => stopping,
  });
  app.get(['/health', '/health/ready'], ready);
  app.get('/health/live', liveHandler);
  app.get('/metrics', metricsHandler(metrics.registry));
  if (config.playground) app.use(playgroundRouter({ development: !config.production, supergraphSdl, authenticator }));
  app.use(
    '/graphql',
    noStore,
    authenticateAtEdge(authenticator),
    express.json({ limit: config.bodyLimit }),
    operationsPerRequest(config.limits.maxOperations),
    checkOperations({ limits: config.limits, introspection: !config.production, schema: () => apiSchema }),
    expressMiddleware(apollo, {
      context: async ({ res }): Promise<GatewayContext> => {
        const requestId = currentRequestId() ?? 'unknown';
        const caller = callerOf(res);
        return caller ? { requestId, caller } : { requestId };
      },
    }),
  );

  app.use(httpErrorHandler);

  const running = await listen(app, config.host, config.port, { path: '/graphql', shutdownTimeoutMs: config.shutdownTimeoutMs });
  log.info({ url: running.url, subgraphs: urls, inProcess: Object.keys(options.localSubgraphs ?? {}) }, 'gateway listening');
  return {
    ...running,
    close: once(async () => {
      stopping = true;
      await running.close();
      await apollo.stop();
      await agent.close();
    }),
  };
}
