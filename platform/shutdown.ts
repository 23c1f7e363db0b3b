import { ConfigError } from './env';
import { logger } from './logger';

/**
 * Stops the process cleanly on SIGTERM (orchestrators) and SIGINT (Ctrl-C): `stop` stops accepting,
 * lets requests in flight finish and closes the stores; then the process exits 0. A stop that
 * outlives `graceMs` exits with status 1.
 */
export function stopOnSignals(stop: () => Promise<void>, graceMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // Wrappers (npm, tsx, a terminal's process group) may pass the same stop on more than once:
    // a repeated signal does not cut the requests in flight short; the deadline below still holds.
    if (stopping) return void logger.info({ signal }, 'already stopping');
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const started = Date.now();
    const deadline = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, graceMs);
    deadline.unref();
    stop().then(
      () => {
        logger.info({ ms: Date.now() - started }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * For an entry point's `main().catch(…)`: logs why the process could not start and exits 1. A
 * configuration error is also written plainly to stderr, one problem per line, for the operator.
 */
export function failedToStart(what: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof ConfigError) process.stderr.write(`${what}: ${error.message}\n`);
    logger.fatal({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, `${what} failed to start`);
    process.exit(1);
  };
}
