import { createHmac } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import type { DataSource } from 'typeorm';
import { ErrorCode, forbidden, unauthenticated } from '../../platform/errors';
import type { Caller } from '../../privacy/caller';
import { lintSubgraphPrivacy, readClassification } from '../../privacy/classification';
import { CursorSealer } from '../../privacy/enforcement/cursors';
import { PrivacyRequest } from '../../privacy/enforcement/request';
import { protectSchema, type PrivacyEngine } from '../../privacy/enforcement/shield';
import { tenantPseudonymKey } from '../../privacy/masks';
import { AuditLog, type AuditBatchItem } from '../../privacy/store/audit';
import { PrivacyActionLog } from '../../privacy/enforcement/privacy-actions';
import { ConsentStore } from '../../privacy/store/consents';
import { ProcessingControlStore } from '../../privacy/store/controls';
import { SuppressionList, suppressionKey } from '../../privacy/store/suppression';
import { PeopleFacts } from '../../privacy/enforcement/subject';
import type { PartnerInstallationRow } from '../../privacy/store/entities';
import { PartnerRegistry, splitScopes } from '../../privacy/store/partners';
import { listen, once, type RunningServer } from '../../platform/http';
import { httpErrorHandler, noStore } from '../../platform/http-errors';
import { childLogger } from '../../platform/logger';
import { metricsHandler } from '../../platform/metrics';
import { CONTEXT_HEADER, ContextVerifier, InvalidContextError, type SignedOperation } from '../../privacy/signed-context';
import type { PrivacyServices, SubgraphContext } from './context';
import { formatSubgraphError } from './errors';
import { SubgraphMetrics, type AuditWriteResult } from './metrics';
import { DATA_SUBGRAPH_NAMES, type SubgraphModule } from './subgraph';
import type { RightsTransport } from '../../privacy/rights/transport';
import { TenantScope } from './tenant-scope';
import { rightsRouter } from './rights-endpoint';
import { localEndpoint } from './local-endpoint';
import type { LocalEndpoint } from '../../platform/local-endpoint';
import { RightsPart } from '../../privacy/rights/part';

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
  /** Master secret of the per-tenant pseudonym keys. */
  pseudonymSecret: string;
  /** HMAC key of the audit chain (AUDIT_KEY). */
  auditKey: string;
  /** Field-level privacy on (always, outside benchmarks that measure its cost). */
  privacyEnforcement: boolean;
  /** How the generated rules run: compiled onto the resolvers (default) or by graphql-shield's executor. */
  privacyEngine?: PrivacyEngine;
  /** Base URL of the media service that streams recordings through signed links. */
  recordingsBaseUrl: string;
  /** How long a stop waits for requests in flight. */
  shutdownTimeoutMs?: number;
  /** The rights contract of the other subgraphs (needed by the privacy subgraph). */
  rightsTransport?: RightsTransport;
  rightsMaxRequestsPer30Days?: number;
}

/** A partner app reaches a tenant only while that tenant has it installed; checked on every request. */
async function partnerInstallation(privacy: PrivacyServices, caller: Caller): Promise<PartnerInstallationRow> {
  const installation = caller.partnerClientId ? await privacy.partners.activeInstallation(caller.tenantId, caller.partnerClientId) : null;
  if (!installation) throw forbidden('This partner app is not installed for this tenant', ErrorCode.PARTNER_NOT_INSTALLED);
  return installation;
}

/** Puts the values this subgraph masked or withheld into `extensions.privacy` (the gateway merges them). */
const privacyNotices: ApolloServerPlugin<SubgraphContext<unknown>> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const notices = contextValue.privacyRequest?.notices;
        if (!notices?.size || response.body.kind !== 'single') return;
        response.body.singleResult.extensions = { ...response.body.singleResult.extensions, privacy: notices.toWire() };
      },
    };
  },
};

/**
 * Writes a request's audit records in one batch before its answer leaves: one DISCLOSURE record
 * when an audited caller (SUPPORT, PARTNER, DPO) was shown personal data; with it, for a support
 * agent holding a live ticket, one SUPPORT_TICKET_USE record (break-glass: the ticket's id, reason
 * and expiry); and one record per privacy action its resolvers did (context.privacyActions).
 * Fail closed: if the batch cannot be written, the answer is replaced by AUDIT_UNAVAILABLE rather
 * than sent unaudited.
 */
function requestAudit(service: string, onWrite: (result: AuditWriteResult) => void): ApolloServerPlugin<SubgraphContext<unknown>> {
  const log = childLogger(service);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const disclosures = contextValue.privacyRequest?.disclosures;
          const actions = contextValue.privacyActions;
          const disclosed = !!disclosures && !disclosures.isEmpty;
          if (!disclosed && (!actions || actions.isEmpty)) return;
          const { caller } = contextValue;
          const base = {
            tenantId: caller.tenantId,
            actorId: caller.userId,
            actorRole: caller.role,
            purpose: caller.purpose,
            ticketId: caller.ticket?.id ?? null,
            partnerClientId: caller.partnerClientId ?? null,
            requestId: caller.requestId,
            correlationId: caller.correlationId ?? null,
            service,
          };
          const batch: AuditBatchItem[] = [];
          if (disclosed) {
            batch.push({ entry: { ...base, action: 'DISCLOSURE', detail: disclosures.detail() }, subjects: disclosures.subjects() });
            if (caller.role === 'SUPPORT' && caller.ticket) {
              batch.push({ entry: { ...base, action: 'SUPPORT_TICKET_USE', detail: JSON.stringify({ ticket: caller.ticket.id, reason: caller.ticket.reason, expiresAt: caller.ticket.expiresAt }) }, subjects: [] });
            }
          }
          for (const action of actions?.list() ?? []) batch.push({ entry: { ...base, action: action.action, detail: JSON.stringify(action.detail) }, subjects: action.subjects ?? [] });
          try {
            await contextValue.privacy.audit.appendBatch(batch);
            onWrite('written');
          } catch (error) {
            onWrite('failed');
            log.error({ requestId: caller.requestId, err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } }, 'audit record not written: answer withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                data: null,
                errors: [{ message: 'The audit log is unavailable, so this answer was withheld; try again shortly', extensions: { code: ErrorCode.AUDIT_UNAVAILABLE } }],
              };
            }
          }
        },
      };
    },
  };
}

export interface RunningSubgraph extends RunningServer {
  name: string;
  /** Its /graphql endpoint for a gateway in the same process: the same pipeline without the socket. */
  local: LocalEndpoint;
}

/**
 * Builds and starts one subgraph: /graphql for operations (each must carry the gateway's signed
 * context) and /health for probes (database reachable).
 */
export async function startSubgraph<L>(module: SubgraphModule<L>, options: SubgraphServerOptions): Promise<RunningSubgraph> {
  const log = childLogger(module.name);
  const verifier = new ContextVerifier(options.internalSecret, module.name);
  const privacy: PrivacyServices = {
    partners: new PartnerRegistry(options.privacyStore),
    consents: new ConsentStore(options.privacyStore),
    controls: new ProcessingControlStore(options.privacyStore),
    suppression: new SuppressionList(options.privacyStore, suppressionKey(options.pseudonymSecret)),
    audit: new AuditLog(options.privacyStore, options.auditKey),
  };
  const services = module.createServices?.({ dataSource: options.dataSource, privacy, pseudonymSecret: options.pseudonymSecret, rightsTransport: options.rightsTransport, rightsMaxRequestsPer30Days: options.rightsMaxRequestsPer30Days });
  // Fail closed: a subgraph whose SDL leaves a field unclassified, or whose inventory misses or contradicts it, does not start.
  const problems = lintSubgraphPrivacy(module.name, module.typeDefs, module.inventory);
  if (problems.length > 0) throw new Error(`Privacy classification failed:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  const subgraphSchema = buildSubgraphSchema({ typeDefs: module.typeDefs, resolvers: module.resolvers as GraphQLResolverMap<unknown> });
  const protection = options.privacyEnforcement ? protectSchema(subgraphSchema, readClassification(module.typeDefs), options.privacyEngine) : undefined;
  const cursorSealer = new CursorSealer(options.internalSecret);
  const recordings = { baseUrl: options.recordingsBaseUrl, secret: createHmac('sha256', options.internalSecret).update('recording-links').digest('base64url') };
  const tenantKeys = new Map<string, Uint8Array>();
  const metrics = new SubgraphMetrics(module.name);
  let stopping = false;
  const tenantKey = (tenantId: string) => tenantKeys.get(tenantId) ?? tenantKeys.set(tenantId, tenantPseudonymKey(options.pseudonymSecret, tenantId)).get(tenantId)!;
  const apollo = new ApolloServer<SubgraphContext<L>>({
    schema: protection?.schema ?? subgraphSchema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    // The process stops it (platform/shutdown.ts) once its HTTP requests in flight are answered.
    stopOnTerminationSignals: false,
    formatError: formatSubgraphError,
    // Inline traces are for Apollo's hosted reporting, which this product does not use.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), privacyNotices, requestAudit(module.name, metrics.auditWritten)],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Ready: the store answers and no stop has begun. Live: the process answers at all.
  app.get(['/health', '/health/ready'], async (_req, res) => {
    try {
      if (stopping) throw new Error('stopping');
      await options.dataSource.query('SELECT 1');
      res.status(200).json({ status: 'ok', subgraph: module.name });
    } catch {
      res.status(503).json({ status: 'unavailable', subgraph: module.name });
    }
  });
  app.get('/health/live', (_req, res) => void res.status(200).json({ status: 'ok', subgraph: module.name }));
  app.get('/metrics', metricsHandler(metrics.registry));
  // Data-subject rights for the rights worker (signed with the internal secret; the gateway never forwards here).
  // The data subgraphs answer the rights contract for their part of every person's data.
  if ((DATA_SUBGRAPH_NAMES as readonly string[]).includes(module.name)) {
    const rights = new RightsPart({ subgraph: module.name, inventory: module.inventory, store: options.dataSource, pseudonymSecret: options.pseudonymSecret });
    app.use(rightsRouter(module.name, rights, options.internalSecret, options.bodyLimit));
  }
  /**
   * The context of one GraphQL request, over HTTP or in-process alike: nothing runs unless the
   * signed gateway context is valid for this subgraph and covers exactly this operation.
   */
  const contextFor = async (signedContext: string | undefined, body: SignedOperation): Promise<SubgraphContext<L>> => {
    let caller: Caller;
    try {
      // The signature covers this operation: checked before anything of it is parsed or run.
      caller = await verifier.verify(signedContext, { query: body.query, operationName: body.operationName, variables: body.variables });
    } catch (error) {
      if (error instanceof InvalidContextError) {
        log.warn({ reason: error.message }, 'refused call without a valid gateway context');
        throw unauthenticated('This service only answers the gateway');
      }
      throw error;
    }
    // Restrictions and objections are read on every request, so one set or lifted holds from the next request on.
    const [installation, controls] = await Promise.all([
      caller.role === 'PARTNER' ? partnerInstallation(privacy, caller) : undefined,
      protection ? privacy.controls.inForce(caller.tenantId) : undefined,
    ]);
    const partnerScopes = installation ? splitScopes(installation.scopes) : [];
    const cursors = cursorSealer.forCaller(caller);
    const privacyRequest = new PrivacyRequest({
      caller,
      partnerScopes,
      partnerInstaller: installation?.installedBy,
      consents: privacy.consents,
      subjects: module.subjects,
      fields: protection?.fields ?? new Map(),
      tenantKey: tenantKey(caller.tenantId),
      cursors,
      people: controls ? PeopleFacts.at(controls, caller.purpose, new Date()) : undefined,
    });
    const scope = new TenantScope(options.dataSource, caller.tenantId, cursors, protection ? privacyRequest : undefined);
    return { caller, scope, loaders: module.createLoaders(scope, services), privacy, privacyRequest, privacyActions: new PrivacyActionLog(), recordings };
  };

  app.use(
    '/graphql',
    noStore,
    express.json({ limit: options.bodyLimit }),
    expressMiddleware(apollo, { context: ({ req }) => contextFor(req.header(CONTEXT_HEADER), (req.body ?? {}) as SignedOperation) }),
  );

  app.use(httpErrorHandler);

  const running = await listen(app, options.host, options.port, { path: '/graphql', shutdownTimeoutMs: options.shutdownTimeoutMs });
  log.info({ url: running.url }, 'subgraph listening');
  return {
    ...running,
    name: module.name,
    local: localEndpoint({ name: module.name, apollo, bodyLimit: options.bodyLimit, contextFor, isStopping: () => stopping }),
    close: once(async () => {
      stopping = true;
      await running.close();
      await apollo.stop();
    }),
  };
}
