/**
 * `npm run bench`: what field-level privacy costs. Starts three stacks in child processes on one
 * seeded store — policy enforced by the compiled rules (the default), the same rules run by
 * graphql-shield's own executor, and enforcement off — and measures, in one run:
 *   1. the standard list query (50 contacts, owner, last 5 calls) through each gateway;
 *   2. the fetches that query makes, straight at the subgraphs (the contacts list; the calls of
 *      50 contacts via _entities), and the calls fetch with the recording link, which reads consents.
 * Requests go to the three stacks in turn (A, B, C, B, C, A, …), so machine drift and background
 * load fall on all three alike. Prints p50/p99 latency and req/s.
 *   npm run bench -- [--requests 500] [--warmup 100] [--database-url mysql://…]
 */
import { benchUrl, startBenchStack } from './bench-stack';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mintDevToken } from '../gateway/dev-tokens';
import { DEV_INTERNAL_SECRET } from '../platform/env';
import { CONTEXT_HEADER, ContextSigner, type SignedOperation } from '../privacy/signed-context';
import { generateDemoData } from '../seed/generate';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '100' },
    'database-url': { type: 'string' },
  },
});
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);

const LIST_QUERY = `{ contacts(first: 50) { nodes { id name email phone company owner { name email phone }
  calls(first: 5) { nodes { startedAt durationSeconds direction counterpartyNumber notes } } } } }`;

type Mode = 'compiled' | 'shield' | 'off';
const MODES: Mode[] = ['compiled', 'shield', 'off'];

function startStack(base: number, mode: Mode, databaseUrl: string): ChildProcess {
  return startBenchStack(base, databaseUrl, { PRIVACY_ENFORCEMENT: mode === 'off' ? 'off' : 'on', PRIVACY_ENGINE: mode === 'shield' ? 'shield' : 'compiled' });
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
  /** One client, one request at a time: the service rate, 1000 / mean latency. */
  rps: number;
}

async function request(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await response.json()) as { errors?: unknown[] };
  if (json.errors) throw new Error(`request failed: ${JSON.stringify(json.errors).slice(0, 300)}`);
  return performance.now() - t0;
}

/**
 * One client, one request at a time (latency without queueing: the stacks compare on service
 * time), sent to each stack in turn with the order rotated every time.
 */
async function interleaved(urls: Record<Mode, string>, body: string, headers: (body: string) => Promise<Record<string, string>>): Promise<Record<Mode, Result>> {
  const latencies: Record<Mode, number[]> = { compiled: [], shield: [], off: [] };
  for (let i = 0; i < WARMUP + REQUESTS; i += 1) {
    for (const mode of [...MODES.slice(i % 3), ...MODES.slice(0, i % 3)]) {
      const ms = await request(urls[mode], body, await headers(body));
      if (i >= WARMUP) latencies[mode].push(ms);
    }
  }
  const result = {} as Record<Mode, Result>;
  for (const mode of MODES) {
    const sorted = [...latencies[mode]].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    result[mode] = { p50: at(0.5), p99: at(0.99), rps: 1000 / mean };
  }
  return result;
}

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

    // Each request is signed for its own operation (the body it sends), as the gateway does.
    const contactsSigned = async (body: string) => ({ [CONTEXT_HEADER]: await signer.sign(caller, 'contacts', JSON.parse(body) as SignedOperation) });
    const callsSigned = async (body: string) => ({ [CONTEXT_HEADER]: await signer.sign(caller, 'calls', JSON.parse(body) as SignedOperation) });
    const ofContacts = (fields: string) => ({
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Contact { calls(first: 5) { nodes { ${fields} } } } } }`,
      variables: { r: contactIds.map((id) => ({ __typename: 'Contact', id })) },
    });
    const scenarios = [
      { name: 'gateway: 50 contacts + owner + last 5 calls', target: 'gateway' as const, body: JSON.stringify({ query: LIST_QUERY }), headers: async () => ({ authorization: `Bearer ${token}` }) },
      {
        name: 'contacts subgraph: its fetch of the standard query',
        target: 'contacts' as const,
        body: JSON.stringify({ query: '{ contacts(first: 50) { nodes { __typename id name email phone company owner { __typename id } } } }' }),
        headers: contactsSigned,
      },
      {
        name: 'calls subgraph: its fetch of the standard query (_entities)',
        target: 'calls' as const,
        body: JSON.stringify(ofContacts('startedAt durationSeconds direction counterpartyNumber notes')),
        headers: callsSigned,
      },
      {
        name: 'calls subgraph: + disposition, recordingUrl (reads recording consents)',
        target: 'calls' as const,
        body: JSON.stringify(ofContacts('startedAt durationSeconds direction disposition counterpartyNumber notes recordingUrl')),
        headers: callsSigned,
      },
    ];

    console.log(`requests per stack and scenario: ${REQUESTS} (after ${WARMUP} warm-up), one at a time, stacks in turn; store: ${databaseUrl.split(':')[0]}`);
    console.log('| scenario | privacy | p50 ms | p99 ms | req/s |');
    console.log('|---|---|---:|---:|---:|');
    const summary: { name: string; compiled: number; shield: number }[] = [];
    for (const scenario of scenarios) {
      const urls = Object.fromEntries(MODES.map((mode) => [mode, benchUrl(bases[mode], scenario.target)])) as Record<Mode, string>;
      const results = await interleaved(urls, scenario.body, scenario.headers);
      for (const mode of MODES) {
        const r = results[mode];
        console.log(`| ${scenario.name} | ${mode} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.rps.toFixed(0)} |`);
      }
      summary.push({ name: scenario.name, compiled: results.compiled.p50 / results.off.p50, shield: results.shield.p50 / results.off.p50 });
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
