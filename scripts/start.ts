/** `npm start`: the gateway and the four subgraphs in one process, seeded on first run. */
import { logger } from '../platform/logger';
import { startStack } from '../stack';
import { SUBGRAPH_NAMES } from '../subgraphs/shared/subgraph';

async function main(): Promise<void> {
  const stack = await startStack();
  const lines = [
    `gateway   ${stack.gateway.url}`,
    `playground ${stack.gateway.url.replace(/\/graphql$/, '/')}`,
    `health    ${stack.gateway.url.replace(/\/graphql$/, '/health')}`,
    ...SUBGRAPH_NAMES.map((name) => `${name.padEnd(9)} ${stack.subgraphs[name].url}`),
  ];
  process.stdout.write(`\nCRM privacy gateway is up:\n  ${lines.join('\n  ')}\n\nDevelopment token: npm run token -- --role ADMIN --tenant acme\n\n`);
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await stack.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  logger.fatal({ err: { name: (error as Error).name, message: (error as Error).message } }, 'failed to start');
  process.exit(1);
});
