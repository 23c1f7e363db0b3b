/**
 * The rights worker alone: `npm run worker`. Runs the steps of rights requests from the privacy
 * store against the data subgraphs' rights contract (<NAME>_URL), until SIGTERM/SIGINT, which
 * stops it after the current page (its progress saved). Run as many as you like: each step is
 * leased to one worker at a time.
 */
import { openDatabase } from '../platform/database';
import { childLogger } from '../platform/logger';
import { failedToStart, stopOnSignals } from '../platform/shutdown';
import { createRightsWorker } from '../privacy/rights/runtime';
import { HttpRightsTransport } from '../privacy/rights/transport';
import { PRIVACY_STORE } from '../privacy/store';
import { loadSubgraphConfig } from '../subgraphs/shared/config';

async function main(): Promise<void> {
  const config = loadSubgraphConfig();
  const privacyStore = await openDatabase(PRIVACY_STORE, config.databaseUrl);
  const worker = createRightsWorker({
    privacyStore,
    transport: new HttpRightsTransport({ urls: config.dataSubgraphUrls, secret: config.internalSecret }),
    auditKey: config.auditKey,
    pseudonymSecret: config.pseudonymSecret,
  });
  worker.start();
  childLogger('rights-worker').info({ worker: worker.id }, 'rights worker running');
  stopOnSignals(async () => {
    await worker.stop();
    await privacyStore.destroy();
  }, config.shutdownTimeoutMs + 5_000);
}

main().catch(failedToStart('rights worker'));
