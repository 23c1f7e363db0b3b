/** The gateway alone (`npm run start:gateway`), for deployments that run one service per process. */
import { startTracing } from '../platform/tracing';

// Before anything else loads: tracing instruments http and graphql as they are required.
const tracing = startTracing('crm-gateway');

const { failedToStart, stopOnSignals } = require('../platform/shutdown') as typeof import('../platform/shutdown');
const { loadGatewayConfig } = require('./config') as typeof import('./config');
const { startGateway } = require('./server') as typeof import('./server');

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const gateway = await startGateway(config);
  stopOnSignals(async () => {
    await gateway.close();
    await tracing.shutdown();
  }, config.shutdownTimeoutMs + 5_000);
}

main().catch(failedToStart('gateway'));
