/**
 * `npm run retention`: one retention run now, against the running subgraphs (their URLs from
 * ACCOUNTS_URL, CONTACTS_URL, CALLS_URL, LOCATION_URL, else the local ports), on the store named
 * by DATABASE_URL. Prints what it removed per tenant and entity (counts only). Exit 0 when it ran
 * or another runner holds the job, 1 on failure.
 */
import { openDatabase } from '../platform/database';
import { PRIVACY_STORE } from '../privacy/store';
import { runRetention } from '../privacy/retention/run';
import { loadSubgraphConfig } from '../subgraphs/shared/config';

async function main(): Promise<number> {
  const config = loadSubgraphConfig();
  // The data subgraphs (ACCOUNTS_URL, … or the local ports), as the rights worker reaches them.
  const subgraphUrls = config.dataSubgraphUrls;
  const store = await openDatabase(PRIVACY_STORE, config.databaseUrl);
  try {
    const report = await runRetention({ subgraphUrls, internalSecret: config.internalSecret, store, auditKey: config.auditKey, exportRetentionDays: config.exportRetentionDays });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } finally {
    await store.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`retention run failed: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
