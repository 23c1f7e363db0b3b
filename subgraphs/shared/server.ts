import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import type { DataSource } from 'typeorm';
import { ErrorCode, forbidden, unauthenticated } from '../../platform/errors';
import type { Caller } from '../../privacy/caller';
import { PartnerRegistry, splitScopes } from '../../privacy/store/partners';
import { listen, once, type RunningServer } from '../../platform/http';
import { httpErrorHandler } from '../../platform/http-errors';
import { childLogger } from '../../platform/logger';
import { CONTEXT_HEADER, ContextVerifier, InvalidContextError } from '../../privacy/signed-context';
import type { PrivacyServices, SubgraphContext } from './context';
import { formatSubgraphError } from './errors';
import type { SubgraphModule } from './subgraph';
import { TenantScope } from './tenant-scope';

export interface SubgraphServerOptions {
  host: string;
  port: number;
  dataSource: DataSource;
  /** The shared privacy store (partner installations, consents, audit). */
  privacyStore: DataSource;
  /** Secret shared with the gateway for the signed per-request context. */
  internalSecret: string;
  introspection: boolean;
  bodyLimit: string;
}

/** A partner app reaches a tenant only while that tenant has it installed; checked on every request. */
async function installedScopes(privacy: PrivacyServices, caller: Caller): Promise<string[]> {
  const installation = caller.partnerClientId ? await privacy.partners.activeInstallation(caller.tenantId, caller.partnerClientId) : null;
  if (!installation) throw forbidden('This partner app is not installed for this tenant', ErrorCode.PARTNER_NOT_INSTALLED);
  return splitScopes(installation.scopes);
}

export interface RunningSubgraph extends RunningServer {
  name: string;
}

/**
 * Builds and starts one subgraph: /graphql for operations (each must carry the gateway's signed
 * context) and /health for probes (database reachable).
 */
export async function startSubgraph<L>(module: SubgraphModule<L>, options: SubgraphServerOptions): Promise<RunningSubgraph> {
  const log = childLogger(module.name);
  const verifier = new ContextVerifier(options.internalSecret, module.name);
  const privacy: PrivacyServices = { partners: new PartnerRegistry(options.privacyStore) };
  const apollo = new ApolloServer<SubgraphContext<L>>({
    schema: buildSubgraphSchema({ typeDefs: module.typeDefs, resolvers: module.resolvers as GraphQLResolverMap<unknown> }),
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: formatSubgraphError,
    // Inline traces are for Apollo's hosted reporting, which this product does not use.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', async (_req, res) => {
    try {
      await options.dataSource.query('SELECT 1');
      res.status(200).json({ status: 'ok', subgraph: module.name });
    } catch {
      res.status(503).json({ status: 'unavailable', subgraph: module.name });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        let caller: Caller;
        try {
          caller = await verifier.verify(req.header(CONTEXT_HEADER));
        } catch (error) {
          if (error instanceof InvalidContextError) {
            log.warn({ reason: error.message }, 'refused call without a valid gateway context');
            throw unauthenticated('This service only answers the gateway');
          }
          throw error;
        }
        const partnerScopes = caller.role === 'PARTNER' ? await installedScopes(privacy, caller) : [];
        const scope = new TenantScope(options.dataSource, caller.tenantId);
        return { caller, partnerScopes, scope, loaders: module.createLoaders(scope), privacy };
      },
    }),
  );

  app.use(httpErrorHandler);

  const running = await listen(app, options.host, options.port, '/graphql');
  log.info({ url: running.url }, 'subgraph listening');
  return {
    ...running,
    name: module.name,
    close: once(async () => {
      await running.close();
      await apollo.stop();
    }),
  };
}
