import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SubgraphName } from '../subgraphs/shared/subgraph';

const ROOT = path.resolve(__dirname, '..');

/** Where a benchmark stack at `base` puts each subgraph: the five ports after the gateway's. */
const PORT_OFFSET: Record<SubgraphName, number> = { accounts: 1, contacts: 2, calls: 3, location: 4, privacy: 5 };
const NAMES = Object.keys(PORT_OFFSET) as SubgraphName[];

/** A service of the product in a child process, with quiet logs and a cost limit that lets the benchmark's queries through. */
function benchProcess(script: string, env: Record<string, string>): ChildProcess {
  return spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [script], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', MAX_COST: '100000', ...env },
  });
}

/**
 * One whole stack (`scripts/start.ts`) in a child process for a benchmark: gateway on `base`,
 * subgraphs on the five ports after it, and whatever else `env` sets (privacy engine,
 * enforcement, how the gateway reaches the subgraphs).
 */
export function startBenchStack(base: number, databaseUrl: string, env: Record<string, string> = {}): ChildProcess {
  return benchProcess('scripts/start.ts', {
    DATABASE_URL: databaseUrl,
    PORT: String(base),
    ...Object.fromEntries(NAMES.map((name) => [`${name.toUpperCase()}_PORT`, String(base + PORT_OFFSET[name])])),
    // A benchmark measures requests over fixed data: no retention run removes any of it meanwhile.
    RETENTION_SCHEDULE: 'off',
    // Nor does a rights worker poll the store: the stacks compared differ only in what `env` sets.
    RIGHTS_WORKER: 'off',
    ...env,
  });
}

/** The /graphql URL of the gateway or of one subgraph of the benchmark stack at `base`. */
export function benchUrl(base: number, service: 'gateway' | SubgraphName): string {
  return `http://127.0.0.1:${base + (service === 'gateway' ? 0 : PORT_OFFSET[service])}/graphql`;
}

/** Every subgraph's /graphql URL in the benchmark stack at `base`. */
export function benchSubgraphUrls(base: number): Record<SubgraphName, string> {
  return Object.fromEntries(NAMES.map((name) => [name, benchUrl(base, name)])) as Record<SubgraphName, string>;
}

/** Our gateway alone in a child process on `port`, reaching the subgraphs of the stack at `stackBase` over HTTP. */
export function startBenchGateway(port: number, stackBase: number): ChildProcess {
  return benchProcess('gateway/main.ts', {
    PORT: String(port),
    ...Object.fromEntries(Object.entries(benchSubgraphUrls(stackBase)).map(([name, url]) => [`${name.toUpperCase()}_URL`, url])),
  });
}
