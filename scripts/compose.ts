/**
 * Composes the subgraph SDL under schema/ into schema/supergraph.graphql (`npm run compose`).
 * `--check` exits non-zero when the committed supergraph is stale.
 */
import fs from 'node:fs';
import { composeSupergraph } from '../schema/compose';
import { DEFAULT_SUPERGRAPH_PATH } from '../schema';

const check = process.argv.includes('--check');
const supergraph = composeSupergraph();
const current = fs.existsSync(DEFAULT_SUPERGRAPH_PATH) ? fs.readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8') : '';
if (check) {
  if (current !== supergraph) {
    console.error('schema/supergraph.graphql is stale: run `npm run compose`');
    process.exit(1);
  }
  console.log('schema/supergraph.graphql is up to date');
} else {
  fs.writeFileSync(DEFAULT_SUPERGRAPH_PATH, supergraph);
  console.log(`wrote ${DEFAULT_SUPERGRAPH_PATH}`);
}
