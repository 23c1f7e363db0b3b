/**
 * Migrates every store and loads the deterministic demo data:
 *   npm run seed -- [--scale N] [--reset]
 * Without --reset an already seeded database is left as it is.
 */
import { parseArgs } from 'node:util';
import { demoRows } from '../seed/generate';
import { isEmpty, loadDemoRows } from '../seed/load';
import { closeStores, openStores } from '../stack';
import { loadSubgraphConfig } from '../subgraphs/shared/config';
import { resetDatabase } from '../platform/database';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, reset: { type: 'boolean', default: false } } });
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  const { databaseUrl } = loadSubgraphConfig();
  const stores = await openStores(databaseUrl);
  if (values.reset) {
    for (const store of Object.values(stores)) await resetDatabase(store);
  }
  if (!(await isEmpty(stores.accounts))) {
    process.stdout.write('database already holds data: nothing to do (use --reset to start over)\n');
  } else {
    const started = Date.now();
    // Rows are generated and written as they come: millions of them in bounded memory.
    const counts = await loadDemoRows(stores, demoRows({ scale }));
    process.stdout.write(`seeded in ${Date.now() - started} ms: ${Object.entries(counts).map(([kind, n]) => `${kind}=${n}`).join(' ')}\n`);
  }
  await closeStores(stores);
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${(error as Error).message}\n`);
  process.exit(1);
});
