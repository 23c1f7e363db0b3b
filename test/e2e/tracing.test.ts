import { spawn } from 'node:child_process';
import path from 'node:path';
import { mintDevToken } from '../../gateway/dev-tokens';
import { generateDemoData } from '../../seed/generate';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { stackPortEnv } from '../helpers/ports';
import { postGraphQL } from '../helpers/stack';

const ROOT = path.resolve(__dirname, '../..');

interface PrintedSpan {
  traceId: string;
  name: string;
  /** 0 internal, 1 server, 2 client */
  kind: number;
  service: string;
}

/** Spans as the console exporter prints them (util.inspect of each span). */
function spansIn(output: string): PrintedSpan[] {
  const pattern = /resource: \{ attributes: \{ 'service\.name': '([^']+)' \} \},[\s\S]*?traceId: '([0-9a-f]{32})',[\s\S]*?\n {2}name: '([^']+)',\n {2}id: '[0-9a-f]+',\n {2}kind: (\d)/g;
  return [...output.matchAll(pattern)].map((m) => ({ service: m[1]!, traceId: m[2]!, name: m[3]!, kind: Number(m[4]) }));
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('tracing', () => {
  // In-process (`npm start`'s default) the subgraphs' spans continue the gateway's context directly;
  // over HTTP they continue it through the `traceparent` header of each fetch.
  it.each([
    ['in-process', { clientSpans: 0, serverSpans: 1 }],
    ['http', { clientSpans: 2, serverSpans: 3 }],
  ])('when turned on, follows one request from the gateway into the subgraphs (%s) in one trace, without personal values', async (transport, expected) => {
    const { gateway: port, env: portEnv } = await stackPortEnv();
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      TRACING: 'console',
      SUBGRAPH_TRANSPORT: transport,
      DATABASE_URL: database.url,
      ...portEnv,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const user = generateDemoData().users[0]!;
    const token = await mintDevToken({ sub: user.id, tenant: user.tenantId, role: 'ADMIN' });
    try {
      const deadline = Date.now() + 45_000;
      while ((await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0)) !== 200) {
        if (Date.now() > deadline) throw new Error(`stack did not start:\n${output.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const res = await postGraphQL(`http://127.0.0.1:${port}/graphql`, { query: 'query TracedMe { me { name contacts(first: 1) { totalCount } } }' }, { authorization: `Bearer ${token}` });
      expect(res.body.data.me.name).toBe(user.name);
    } finally {
      child.kill('SIGTERM'); // the stop flushes the spans still buffered
    }
    expect(await exited).toBe(0);

    const spans = spansIn(output);
    const traceOf = spans.find((s) => s.name === 'gateway.request')?.traceId;
    expect(traceOf).toBeDefined();
    const trace = spans.filter((s) => s.traceId === traceOf);
    // The gateway's request, its fetches to two subgraphs (over HTTP: each an HTTP client span and
    // the subgraph's server span) and the subgraphs' work, in one trace.
    expect(trace.filter((s) => s.name === 'POST' && s.kind === 2).length).toBe(expected.clientSpans);
    expect(trace.filter((s) => s.name === 'POST' && s.kind === 1).length).toBe(expected.serverSpans);
    expect(trace.filter((s) => s.name === 'gateway.fetch').length).toBe(2);
    expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining(['gateway.plan', 'graphql.resolve _entities', 'graphql.resolve me']));
    expect(output).not.toContain(token.split('.')[2]!);
    expect(output).not.toContain(user.name);
  });
});
