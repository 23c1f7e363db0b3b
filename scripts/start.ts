/** `npm start`: the gateway and the four subgraphs in one process, seeded on first run. */
import { startTracing } from '../platform/tracing';

// Before anything else loads: tracing instruments http and graphql as they are required.
const tracing = startTracing('crm');

const { failedToStart, stopOnSignals } = require('../platform/shutdown') as typeof import('../platform/shutdown');
const { loadGatewayConfig } = require('../gateway/config') as typeof import('../gateway/config');
const { startStack } = require('../stack') as typeof import('../stack');
const { SUBGRAPH_NAMES } = require('../subgraphs/shared/subgraph') as typeof import('../subgraphs/shared/subgraph');

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const stack = await startStack();
  const base = stack.gateway.url.replace(/\/graphql$/, '');
  const lines = [
    `gateway    ${stack.gateway.url}`,
    // The playground and development tokens exist outside production only: never advertise them there.
    ...(config.playground ? [`playground ${base}/`] : []),
    `health     ${base}/health/ready (live: ${base}/health/live)`,
    `metrics    ${base}/metrics`,
    ...SUBGRAPH_NAMES.map((name) => `${name.padEnd(10)} ${stack.subgraphs[name].url}`),
  ];
  const token = config.production ? '' : 'Development token: npm run -s token -- --role ADMIN --tenant acme\n\n';
  process.stdout.write(`\nCRM privacy gateway is up:\n  ${lines.join('\n  ')}\n\n${token}`);
  // Gateway first (its requests in flight still need the subgraphs), then the subgraphs, then the stores.
  stopOnSignals(async () => {
    await stack.close();
    await tracing.shutdown();
  }, 2 * config.shutdownTimeoutMs + 5_000);
}

main().catch(failedToStart('stack'));
