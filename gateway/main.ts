/** The gateway alone (`npm run start:gateway`), for deployments that run one service per process. */
import { logger } from '../platform/logger';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

startGateway(loadGatewayConfig())
  .then((gateway) => {
    const stop = () => void gateway.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  })
  .catch((error: unknown) => {
    logger.fatal({ err: { name: (error as Error).name, message: (error as Error).message } }, 'gateway failed to start');
    process.exit(1);
  });
