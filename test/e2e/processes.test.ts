import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { exportSPKI, generateKeyPair } from 'jose';
import { mintDevToken } from '../../gateway/dev-tokens';
import { generateDemoData } from '../../seed/generate';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startRelay, until } from '../helpers/relay';
import { stackPortEnv } from '../helpers/ports';
import { postGraphQL } from '../helpers/stack';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The real entry points, as `npm start` runs them (node with tsx's loader, so signals reach the
 * service itself), on ports of their own.
 */
function run(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function outputOf(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  return () => text;
}

async function waitForHealth(url: string, timeoutMs = 90_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
  return status;
}

/** SIGTERM, as an orchestrator stops a container; resolves with the exit code. */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

let portEnv: Record<string, string>;
let ports: Record<'PORT' | 'ACCOUNTS_PORT' | 'CONTACTS_PORT' | 'CALLS_PORT' | 'LOCATION_PORT' | 'PRIVACY_PORT', number>;
const demo = generateDemoData();

async function askMe(gatewayUrl: string) {
  const user = demo.users[0]!;
  const token = await mintDevToken({ sub: user.id, tenant: user.tenantId, role: 'ADMIN' });
  return postGraphQL(gatewayUrl, { query: '{ me { name contacts(first: 1) { totalCount } calls(first: 1) { totalCount } lastLocation { recordedAt } } }' }, { authorization: `Bearer ${token}` });
}

// A fresh store is migrated and seeded by the process itself (five stores, triggers, the search
// index): on MariaDB beside another suite's worker that can take more than a minute.
jest.setTimeout(150_000);

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
  portEnv = (await stackPortEnv()).env;
  ports = Object.fromEntries(Object.entries(portEnv).map(([k, v]) => [k, Number(v)])) as typeof ports;
});
afterEach(() => database.drop());

describe('entry points', () => {
  it('`npm start` runs the whole stack in one process, seeds an empty database and prints the URLs', async () => {
    const child = run('scripts/start.ts', [], { ...portEnv, DATABASE_URL: database.url });
    const output = outputOf(child);
    try {
      expect(await waitForHealth(`http://127.0.0.1:${ports.PORT}/health`)).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      expect(output()).toContain(`http://127.0.0.1:${ports.PORT}/graphql`);
      expect(output()).toContain(`http://127.0.0.1:${ports.LOCATION_PORT}/graphql`);
      expect(output()).toContain(`playground http://127.0.0.1:${ports.PORT}/`);
      expect(output()).toContain('Development token: npm run -s token');
      // Tracing is off unless configured.
      expect(output()).not.toContain('traceId');
      const res = await askMe(`http://127.0.0.1:${ports.PORT}/graphql`);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.me.name).toBe(demo.users[0]!.name);
      expect(res.body.data.me.calls.totalCount).toBeGreaterThan(0);
    } finally {
      await stop(child);
    }
  });

  it('each service also runs alone, one per process, as docker-compose runs them, and stops without dropping a request', async () => {
    const env = { ...portEnv, DATABASE_URL: database.url };
    // The gateway reaches contacts through a relay that can hold requests in flight.
    const relay = await startRelay(`http://127.0.0.1:${ports.CONTACTS_PORT}/graphql`);
    const seed = run('scripts/seed.ts', [], env);
    const seedOutput = outputOf(seed);
    await new Promise((resolve) => seed.once('exit', resolve));
    expect(seedOutput()).toMatch(/seeded in \d+ ms/);

    const children = [
      ...['accounts', 'contacts', 'calls', 'location', 'privacy'].map((name) => run('subgraphs/main.ts', [name], env)),
      // A gateway deployed apart from its subgraphs is told where they are.
      run('gateway/main.ts', [], {
        ...env,
        ACCOUNTS_URL: `http://127.0.0.1:${ports.ACCOUNTS_PORT}/graphql`,
        CONTACTS_URL: relay.url,
        CALLS_URL: `http://127.0.0.1:${ports.CALLS_PORT}/graphql`,
        LOCATION_URL: `http://127.0.0.1:${ports.LOCATION_PORT}/graphql`,
        PRIVACY_URL: `http://127.0.0.1:${ports.PRIVACY_PORT}/graphql`,
      }),
    ];
    const gateway = children[5]!;
    const gatewayOutput = outputOf(gateway);
    try {
      expect(await waitForHealth(`http://127.0.0.1:${ports.PORT}/health/ready`)).toBe(200);
      const res = await askMe(`http://127.0.0.1:${ports.PORT}/graphql`);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.me.lastLocation.recordedAt).toMatch(/^\d{4}-/);

      // SIGTERM while six requests are in flight: all six get their full answer, then it exits 0.
      relay.hold();
      const inFlight = Array.from({ length: 6 }, () => askMe(`http://127.0.0.1:${ports.PORT}/graphql`));
      await until(() => relay.held() === 6);
      const exited = stop(gateway);
      await new Promise((r) => setTimeout(r, 300));
      expect(gateway.exitCode).toBeNull();
      relay.release();
      for (const answer of await Promise.all(inFlight)) {
        expect(answer.status).toBe(200);
        expect(answer.body.errors).toBeUndefined();
        expect(answer.body.data.me.contacts.totalCount).toBeGreaterThan(0);
      }
      expect(await exited).toBe(0);
      expect(gatewayOutput()).not.toMatch(/"level":(50|60)/);
    } finally {
      // Each subgraph stops cleanly too: requests finished, stores closed, exit 0.
      expect(await Promise.all(children.map(stop))).toEqual([0, 0, 0, 0, 0, 0]);
      await relay.close();
    }
  });

  it('in production, advertises neither the playground nor development tokens', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const child = run('scripts/start.ts', [], {
      ...portEnv,
      DATABASE_URL: database.url,
      NODE_ENV: 'production',
      JWT_ALGORITHMS: 'RS256',
      JWT_PUBLIC_KEY: await exportSPKI(publicKey),
      INTERNAL_SIGNING_SECRET: 'i'.repeat(40),
      PSEUDONYM_SECRET: 'p'.repeat(40),
      AUDIT_KEY: 'a'.repeat(40),
    });
    const output = outputOf(child);
    try {
      expect(await waitForHealth(`http://127.0.0.1:${ports.PORT}/health/ready`)).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      expect(output()).toContain(`gateway    http://127.0.0.1:${ports.PORT}/graphql`);
      expect(output()).toContain(`/health/ready`);
      expect(output()).not.toMatch(/playground|token/i);
    } finally {
      const code = await stop(child);
      expect({ code, output: code === 0 ? '' : output() }).toEqual({ code: 0, output: '' });
    }
  });

  it('refuses to start in production with every configuration problem named at once', async () => {
    const child = run('gateway/main.ts', [], { ...portEnv, NODE_ENV: 'production', JWT_ALGORITHMS: 'HS256' });
    const output = outputOf(child);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output()).toContain('Invalid configuration (3 problems)');
    for (const variable of ['JWT_JWKS_URL', 'JWT_ALGORITHMS', 'INTERNAL_SIGNING_SECRET']) expect(output()).toContain(`  - ${variable}: `);
  });
});
