/**
 * One subgraph alone: `npm run start:subgraph -- <accounts|contacts|calls|location|privacy>` (or SUBGRAPH=…).
 * The privacy subgraph reaches the others' rights contract at <NAME>_URL (default: their local ports).
 * <NAME>_PORT (e.g. CONTACTS_PORT) overrides the subgraph's default port.
 */
import { startTracing } from '../platform/tracing';

const name = process.argv[2] ?? process.env.SUBGRAPH ?? '';
// Before anything else loads: tracing instruments http and graphql as they are required.
const tracing = startTracing(`crm-${name || 'subgraph'}`);

const { openDatabase } = require('../platform/database') as typeof import('../platform/database');
const { failedToStart, stopOnSignals } = require('../platform/shutdown') as typeof import('../platform/shutdown');
const { PRIVACY_STORE } = require('../privacy/store') as typeof import('../privacy/store');
const { SUBGRAPHS } = require('.') as typeof import('.');
const { loadSubgraphConfig } = require('./shared/config') as typeof import('./shared/config');
const { startSubgraph } = require('./shared/server') as typeof import('./shared/server');
const { SUBGRAPH_NAMES } = require('./shared/subgraph') as typeof import('./shared/subgraph');
const { HttpRightsTransport } = require('../privacy/rights/transport') as typeof import('../privacy/rights/transport');

async function main(): Promise<void> {
  const subgraph = name as import('./shared/subgraph').SubgraphName;
  if (!SUBGRAPH_NAMES.includes(subgraph)) throw new Error(`Name a subgraph: ${SUBGRAPH_NAMES.join(', ')}`);
  const config = loadSubgraphConfig();
  const privacyStore = await openDatabase(PRIVACY_STORE, config.databaseUrl);
  const ownStore = SUBGRAPHS[subgraph].database !== PRIVACY_STORE;
  const dataSource = ownStore ? await openDatabase(SUBGRAPHS[subgraph].database, config.databaseUrl) : privacyStore;
  const running = await startSubgraph(SUBGRAPHS[subgraph], {
    host: config.host,
    port: config.ports[subgraph],
    dataSource,
    privacyStore,
    internalSecret: config.internalSecret,
    introspection: config.introspection,
    bodyLimit: config.bodyLimit,
    pseudonymSecret: config.pseudonymSecret,
    auditKey: config.auditKey,
    privacyEnforcement: config.privacyEnforcement,
    privacyEngine: config.privacyEngine,
    recordingsBaseUrl: config.recordingsBaseUrl,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    ...(subgraph === 'privacy'
      ? { rightsTransport: new HttpRightsTransport({ urls: config.dataSubgraphUrls, secret: config.internalSecret }), rightsMaxRequestsPer30Days: config.rightsMaxRequestsPer30Days }
      : {}),
  });
  // Requests in flight finish first; the stores close only once nothing can use them.
  stopOnSignals(async () => {
    await running.close();
    if (ownStore) await dataSource.destroy();
    await privacyStore.destroy();
    await tracing.shutdown();
  }, config.shutdownTimeoutMs + 5_000);
}

main().catch(failedToStart('subgraph'));
