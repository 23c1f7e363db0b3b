import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/**
 * One whole stack (`scripts/start.ts`) in a child process for a benchmark: gateway on `base`,
 * subgraphs on the five ports after it, quiet logs, a cost limit that lets the benchmark's
 * queries through, and whatever else `env` sets (privacy engine, enforcement).
 */
export function startBenchStack(base: number, databaseUrl: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      PORT: String(base),
      ACCOUNTS_PORT: String(base + 1),
      CONTACTS_PORT: String(base + 2),
      CALLS_PORT: String(base + 3),
      LOCATION_PORT: String(base + 4),
      PRIVACY_PORT: String(base + 5),
      MAX_COST: '100000',
      // A benchmark measures requests over fixed data: no retention run removes any of it meanwhile.
      RETENTION_SCHEDULE: 'off',
      // Nor does a rights worker poll the store: the stacks compared differ only in what `env` sets.
      RIGHTS_WORKER: 'off',
      ...env,
    },
  });
}
