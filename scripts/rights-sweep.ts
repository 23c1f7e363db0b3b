/**
 * `npm run rights:sweep -- <requestId>` (the DPO): after an erasure, asks every data subgraph
 * whether any personal column still holds one of the erased person's former values (compared as
 * the keyed fingerprints taken before erasure), and prints what it finds: entity, column, rows.
 * Exit code 0 when nothing is left, 1 when residue is found, 2 on error.
 */
import { openDatabase } from '../platform/database';
import { PrivacyRequestStore } from '../privacy/rights/requests';
import { HttpRightsTransport, type RightsTransport } from '../privacy/rights/transport';
import { PRIVACY_STORE } from '../privacy/store';
import { loadSubgraphConfig } from '../subgraphs/shared/config';

export interface SweepResult {
  subgraph: string;
  entity: string;
  column: string;
  rows: number;
}

/** The residue of one erasure request, subgraph by subgraph. */
export async function sweepResidue(requests: PrivacyRequestStore, transport: RightsTransport, requestId: string): Promise<SweepResult[]> {
  const request = await requests.get(requestId);
  if (!request || request.type !== 'ERASE') throw new Error('No erasure request with this id');
  if (request.status !== 'COMPLETED') throw new Error(`The erasure is ${request.status}, not COMPLETED`);
  const fingerprints = JSON.parse(request.fingerprints ?? '[]') as string[];
  const residue: SweepResult[] = [];
  for (const subgraph of transport.subgraphs) {
    const answer = await transport.call(subgraph, { op: 'sweep', tenantId: request.tenantId, fingerprints });
    for (const r of answer.residue) if (r.rows > 0) residue.push({ subgraph, ...r });
  }
  return residue;
}

async function main(): Promise<number> {
  const requestId = process.argv[2];
  if (!requestId) {
    console.error('usage: npm run rights:sweep -- <requestId>');
    return 2;
  }
  const config = loadSubgraphConfig();
  const store = await openDatabase(PRIVACY_STORE, config.databaseUrl);
  try {
    const residue = await sweepResidue(new PrivacyRequestStore(store), new HttpRightsTransport({ urls: config.dataSubgraphUrls, secret: config.internalSecret }), requestId);
    if (residue.length === 0) console.log('no residue: no personal column holds any of the erased values');
    for (const r of residue) console.log(`RESIDUE ${r.subgraph}.${r.entity}.${r.column}: ${r.rows} row(s)`);
    return residue.length === 0 ? 0 : 1;
  } finally {
    await store.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`rights:sweep failed: ${(error as Error).message}`);
      process.exit(2);
    },
  );
}
