/**
 * `npm run bench`: what field-level privacy costs. Starts three stacks in child processes on one
 * seeded store — policy enforced by the compiled rules (the default), the same rules run by
 * graphql-shield's own executor, and enforcement off — and measures, in one run:
 *   1. the standard list query (50 contacts, owner, last 5 calls) through each gateway;
 *   2. the same work straight at the subgraphs (contacts list; calls for 50 contacts via _entities).
 * Prints p50/p99 latency and req/s; each round visits the stacks in a rotated order so drift hits all.
 *   npm run bench -- [--requests 300] [--concurrency 1] [--rounds 5] [--database-url mysql://…]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mintDevToken } from '../gateway/dev-tokens';
import { DEV_INTERNAL_SECRET } from '../platform/env';
import { CONTEXT_HEADER, ContextSigner } from '../privacy/signed-context';
import { generateDemoData } from '../seed/generate';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    // One client at a time: latency without queueing, so the three stacks compare on service time.
    concurrency: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '5' },
    'database-url': { type: 'string' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const ROOT = path.resolve(__dirname, '..');

const LIST_QUERY = `{ contacts(first: 50) { nodes { id name email phone company owner { name email phone }
  calls(first: 5) { nodes { startedAt durationSeconds direction counterpartyNumber notes } } } } }`;

type Mode = 'compiled' | 'shield' | 'off';
const MODES: Mode[] = ['compiled', 'shield', 'off'];

function startStack(base: number, mode: Mode, databaseUrl: string): ChildProcess {
  return spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      PRIVACY_ENFORCEMENT: mode === 'off' ? 'off' : 'on',
      PRIVACY_ENGINE: mode === 'shield' ? 'shield' : 'compiled',
      PORT: String(base),
      ACCOUNTS_PORT: String(base + 1),
      CONTACTS_PORT: String(base + 2),
      CALLS_PORT: String(base + 3),
      LOCATION_PORT: String(base + 4),
      MAX_COST: '100000',
    },
  });
}

async function waitHealthy(base: number): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    if ((await fetch(`http://127.0.0.1:${base}/health`).then((r) => r.status, () => 0)) === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`stack on ${base} did not become healthy`);
}

interface Result {
  p50: number;
  p99: number;
  rps: number;
}

/** Closed-loop load: CONCURRENCY clients, each sending its next request when the last returns. */
async function load(url: string, body: string, headers: Record<string, string>, requests: number): Promise<Result> {
  const latencies: number[] = [];
  let sent = 0;
  const started = performance.now();
  const client = async () => {
    while (sent < requests) {
      sent += 1;
      const t0 = performance.now();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const json = (await response.json()) as { errors?: unknown[] };
      if (json.errors) throw new Error(`request failed: ${JSON.stringify(json.errors).slice(0, 300)}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99), rps: latencies.length / elapsed };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-'));
  const databaseUrl = values['database-url'] ?? `sqlite:${path.join(dir, 'bench.sqlite')}`;
  const bases: Record<Mode, number> = { compiled: 24000, shield: 24100, off: 24200 };
  const children = [startStack(bases.compiled, 'compiled', databaseUrl)];
  try {
    await waitHealthy(bases.compiled); // the first stack seeds the store
    for (const mode of ['shield', 'off'] as const) children.push(startStack(bases[mode], mode, databaseUrl));
    await Promise.all([waitHealthy(bases.shield), waitHealthy(bases.off)]);

    const demo = generateDemoData();
    const admin = demo.users[0]!;
    const token = await mintDevToken({ sub: admin.id, tenant: admin.tenantId, role: 'ADMIN', ...(admin.teamId ? { team: admin.teamId } : {}) });
    const caller = { userId: admin.id, tenantId: admin.tenantId, role: 'ADMIN' as const, purpose: 'SERVICE' as const, requestId: 'bench', ...(admin.teamId ? { teamId: admin.teamId } : {}) };
    const signer = new ContextSigner(DEV_INTERNAL_SECRET);
    const contactIds = demo.contacts.filter((c) => c.tenantId === admin.tenantId).slice(0, 50).map((c) => c.id);

    const scenarios = [
      { name: 'gateway: 50 contacts + owner + last 5 calls', port: 0, body: JSON.stringify({ query: LIST_QUERY }), headers: async () => ({ authorization: `Bearer ${token}` }) },
      {
        name: 'contacts subgraph: 50 contacts',
        port: 2,
        body: JSON.stringify({ query: '{ contacts(first: 50) { nodes { id name email phone company address lastSpokenAt owner { id } } } }' }),
        headers: async () => ({ [CONTEXT_HEADER]: await signer.sign(caller, 'contacts') }),
      },
      {
        name: 'calls subgraph: last 5 calls of 50 contacts (_entities)',
        port: 3,
        body: JSON.stringify({
          query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Contact { calls(first: 5) { nodes { startedAt durationSeconds direction disposition counterpartyNumber notes recordingUrl } } } } }',
          variables: { r: contactIds.map((id) => ({ __typename: 'Contact', id })) },
        }),
        headers: async () => ({ [CONTEXT_HEADER]: await signer.sign(caller, 'calls') }),
      },
    ];

    console.log(`requests per measurement: ${REQUESTS}, concurrency: ${CONCURRENCY}, rounds: ${ROUNDS}, store: ${databaseUrl.split(':')[0]}`);
    console.log('| scenario | privacy | p50 ms | p99 ms | req/s |');
    console.log('|---|---|---:|---:|---:|');
    const summary: { name: string; compiled: number; shield: number }[] = [];
    for (const scenario of scenarios) {
      const results: Record<Mode, Result[]> = { compiled: [], shield: [], off: [] };
      for (let round = 0; round < ROUNDS + 1; round += 1) {
        for (const mode of [...MODES.slice(round % 3), ...MODES.slice(0, round % 3)]) {
          const url = `http://127.0.0.1:${bases[mode] + scenario.port}/graphql`;
          const headers = await scenario.headers();
          // Round 0 warms up both stacks (JIT, caches, connection pools) and is not counted.
          const result = await load(url, scenario.body, headers, round === 0 ? Math.min(300, REQUESTS) : REQUESTS);
          if (round > 0) results[mode].push(result);
        }
      }
      for (const mode of MODES) {
        const r = results[mode];
        console.log(`| ${scenario.name} | ${mode} | ${median(r.map((x) => x.p50)).toFixed(2)} | ${median(r.map((x) => x.p99)).toFixed(2)} | ${median(r.map((x) => x.rps)).toFixed(0)} |`);
      }
      const p50 = (mode: Mode) => median(results[mode].map((x) => x.p50));
      summary.push({ name: scenario.name, compiled: p50('compiled') / p50('off'), shield: p50('shield') / p50('off') });
    }
    console.log('\nprivacy overhead, p50 with the policy / p50 without:');
    for (const s of summary) console.log(`  ${s.name}: compiled ${s.compiled.toFixed(2)}x, graphql-shield executor ${s.shield.toFixed(2)}x`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
