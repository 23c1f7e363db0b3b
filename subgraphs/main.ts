/**
 * One subgraph alone: `npm run start:subgraph -- <accounts|contacts|calls|location>` (or SUBGRAPH=…).
 * <NAME>_PORT (e.g. CONTACTS_PORT) overrides the subgraph's default port.
 */
import { logger } from '../platform/logger';
import { PRIVACY_STORE } from '../privacy/store';
import { SUBGRAPHS } from '.';
import { loadSubgraphConfig } from './shared/config';
import { openDatabase } from '../platform/database';
import { startSubgraph } from './shared/server';
import { SUBGRAPH_NAMES, type SubgraphName } from './shared/subgraph';

async function main(): Promise<void> {
  const name = (process.argv[2] ?? process.env.SUBGRAPH) as SubgraphName;
  if (!SUBGRAPH_NAMES.includes(name)) throw new Error(`Name a subgraph: ${SUBGRAPH_NAMES.join(', ')}`);
  const config = loadSubgraphConfig();
  const dataSource = await openDatabase(SUBGRAPHS[name].database, config.databaseUrl);
  const privacyStore = await openDatabase(PRIVACY_STORE, config.databaseUrl);
  const running = await startSubgraph(SUBGRAPHS[name], {
    host: config.host,
    port: config.ports[name],
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
  });
  const stop = () => void running.close().then(() => dataSource.destroy()).then(() => privacyStore.destroy()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  logger.fatal({ err: { name: (error as Error).name, message: (error as Error).message } }, 'subgraph failed to start');
  process.exit(1);
});
