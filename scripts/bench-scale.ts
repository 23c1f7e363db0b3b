/**
 * `npm run bench:scale`: does the product answer a large tenant like the demo one, and what does
 * the gateway add? Starts, in child processes, one stack on a store seeded at scale 1 (120 contacts
 * per tenant) and one at --scale (417: 50,040 contacts per tenant, 100,080 in all), plus a stock
 * @apollo/gateway that only signs the caller context, on the small stack's subgraphs. Then, in one
 * run, one request at a time with the targets of each scenario in rotated turns (A B, B A, …):
 *   1. scale: the same queries against the small and the large store, through each gateway;
 *   2. gateway overhead: a single-subgraph query through our gateway (as `npm start` runs it: the
 *      subgraphs in its process, called without a socket), through our gateway in a process of its
 *      own (over HTTP, as in one-service-per-process deployments), through the stock gateway (its
 *      own process, over HTTP) and straight at the subgraph (with a signed context); the standard
 *      query through the three gateways.
 * Prints p50/p99 latency and req/s (one client: 1000 / mean latency), and the ratios.
 *   npm run bench:scale -- [--scale 417] [--requests 300] [--warmup 50] [--reseed]
 *   npm run bench:scale -- --database-url mysql://root@127.0.0.1:3306/test   # MariaDB/MySQL
 * SQLite stores are kept in data/bench/ and MySQL ones in databases <db>_bench_s<scale>, so a
 * later run skips the seeding (--reseed seeds again and reports the time).
 */
import { benchSubgraphUrls, benchUrl, startBenchGateway, startBenchStack } from './bench-stack';
import { disableVendorTelemetry } from '../gateway/vendor-telemetry';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import mysql from 'mysql2/promise';
import { mintDevToken } from '../gateway/dev-tokens';
import { DEV_INTERNAL_SECRET } from '../platform/env';
import type { Caller } from '../privacy/caller';
import { CONTEXT_HEADER, ContextSigner } from '../privacy/signed-context';
import { generateDemoData } from '../seed/generate';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '417' },
    requests: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '50' },
    reseed: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    // Internal: run as the stock gateway child process.
    'stock-gateway': { type: 'string' },
  },
});
const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/* ---------------------------------------------------------------- stock gateway (child mode) */

/**
 * Stock @apollo/gateway and @apollo/server with their defaults, on the same static supergraph,
 * whose only addition is a data source that signs the fixed caller context for each subgraph
 * fetch: what any gateway in front of these subgraphs must do at least.
 */
async function runStockGateway(spec: string): Promise<void> {
  const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const { port, urls, caller } = JSON.parse(spec) as { port: number; urls: Record<string, string>; caller: Caller };
  const signer = new ContextSigner(DEV_INTERNAL_SECRET);
  class SigningDataSource extends RemoteGraphQLDataSource {
    constructor(private readonly subgraph: string, url: string) {
      super({ url });
    }
    override async willSendRequest({ request }: GraphQLDataSourceProcessOptions): Promise<void> {
      request.http?.headers.set(CONTEXT_HEADER, await signer.sign(caller, this.subgraph, { query: request.query ?? '', operationName: request.operationName, variables: request.variables }));
    }
  }
  disableVendorTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'),
    buildService: ({ name, url }) => new SigningDataSource(name, urls[name] ?? url ?? ''),
  });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
}

/* ------------------------------------------------------------------------------ the bench */

const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const LARGE_SCALE = Number(values.scale);

interface Store {
  scale: number;
  url: string;
}

/** A store per scale: a SQLite file under data/bench, or a database beside the one DATABASE_URL names. */
async function storeFor(scale: number, baseUrl: string | undefined): Promise<Store> {
  if (!baseUrl) {
    const file = path.join(ROOT, 'data/bench', `scale-${scale}.sqlite`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return { scale, url: `sqlite:${file}` };
  }
  const url = new URL(baseUrl.replace(/^mariadb:/, 'mysql:'));
  const name = `${url.pathname.replace(/^\//, '') || 'crm'}_bench_s${String(scale).replace('.', '_')}`;
  const admin = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  url.pathname = `/${name}`;
  return { scale, url: url.toString() };
}

/** Seeds a store unless it already holds data; returns the seeder's own report line. */
function seed(store: Store, reset: boolean): string {
  const started = Date.now();
  const run = spawnSync(TSX, ['scripts/seed.ts', '--scale', String(store.scale), ...(reset ? ['--reset'] : [])], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: store.url, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`seeding scale ${store.scale} failed: ${run.stderr}`);
  return `scale ${store.scale}: ${run.stdout.trim()} (process ${((Date.now() - started) / 1000).toFixed(1)} s)`;
}

function startStack(base: number, databaseUrl: string): ChildProcess {
  return startBenchStack(base, databaseUrl);
}

async function waitFor(url: string, ok: (status: number) => boolean): Promise<void> {
  for (let i = 0; i < 480; i += 1) {
    const status = await fetch(url, { method: 'GET' }).then((r) => r.status, () => 0);
    if (ok(status)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

interface Target {
  label: string;
  url: string;
  body: () => string;
  headers: () => Promise<Record<string, string>>;
}

interface Result {
  p50: number;
  p99: number;
  rps: number;
}

async function send(target: Target): Promise<number> {
  const headers = await target.headers();
  const t0 = performance.now();
  const response = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: target.body() });
  const json = (await response.json()) as { errors?: unknown[]; data?: unknown };
  if (json.errors || !json.data) throw new Error(`${target.label}: ${JSON.stringify(json.errors ?? json).slice(0, 300)}`);
  return performance.now() - t0;
}

/** One request at a time, to each target in turn, the order rotated on every round. */
async function interleaved(targets: Target[]): Promise<Result[]> {
  const latencies = targets.map(() => [] as number[]);
  for (let i = 0; i < WARMUP + REQUESTS; i += 1) {
    for (let k = 0; k < targets.length; k += 1) {
      const j = (i + k) % targets.length;
      const ms = await send(targets[j]!);
      if (i >= WARMUP) latencies[j]!.push(ms);
    }
  }
  return latencies.map((list) => {
    const sorted = [...list].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { p50: at(0.5), p99: at(0.99), rps: 1000 / (sorted.reduce((a, b) => a + b, 0) / sorted.length) };
  });
}

const STANDARD_QUERY = `{ contacts(first: 50) { nodes { id name email phone company owner { name email phone }
  calls(first: 5) { nodes { startedAt durationSeconds direction counterpartyNumber notes } } } } }`;
/** The demo tenant has 9 users: 8 fill the page at every scale, 20 ask for more rows at scale 417 (20) than at scale 1 (9). */
const usersQuery = (first: number) => `{ users(first: ${first}) { nodes { name contacts(first: 10) { totalCount nodes { name phone } }
  calls(first: 10) { totalCount nodes { startedAt durationSeconds } } } } }`;
const CONTACTS_COUNT_QUERY = '{ contacts(first: 50) { totalCount nodes { id name email phone company } } }';
const SEARCH_QUERY = '{ contacts(first: 20, search: "Kumar") { totalCount nodes { id name } } }';
const BY_PHONE_QUERY = 'query($phone: String!) { contactByPhone(phone: $phone) { id name company owner { name } } }';
const SINGLE_SUBGRAPH_QUERY = '{ contacts(first: 50) { nodes { id name email phone company } } }';
const ME_QUERY = '{ me { id name } }';

function row(name: string, target: string, r: Result): string {
  return `| ${name} | ${target} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.rps.toFixed(0)} |`;
}

async function main(): Promise<void> {
  if (values['stock-gateway']) return runStockGateway(values['stock-gateway']);
  const baseUrl = values['database-url'] ?? (process.env.DATABASE_URL?.startsWith('mysql') || process.env.DATABASE_URL?.startsWith('mariadb') ? process.env.DATABASE_URL : undefined);
  const small = await storeFor(1, baseUrl);
  const large = await storeFor(LARGE_SCALE, baseUrl);
  console.log(`store: ${baseUrl ? 'MySQL/MariaDB' : 'SQLite'}; ${REQUESTS} requests per target and scenario after ${WARMUP} warm-up, one at a time, targets in rotated turns`);
  for (const store of [small, large]) console.log(`seed ${seed(store, values.reseed)}`);

  const demo = generateDemoData();
  const admin = demo.users[0]!;
  const token = await mintDevToken({ sub: admin.id, tenant: admin.tenantId, role: 'ADMIN', ...(admin.teamId ? { team: admin.teamId } : {}) });
  const caller: Caller = { userId: admin.id, tenantId: admin.tenantId, role: 'ADMIN', purpose: 'SERVICE', requestId: 'bench', ...(admin.teamId ? { teamId: admin.teamId } : {}) };
  const signer = new ContextSigner(DEV_INTERNAL_SECRET);
  // Phones that exist at every scale (scaling keeps the first rows), looked up in turn.
  const phones = demo.contacts.filter((c) => c.tenantId === admin.tenantId && c.phone).map((c) => c.phone!);
  let phoneTurn = 0;

  const bases = { small: 25000, large: 25100, stock: 25200, alone: 25300 };
  const children: ChildProcess[] = [];
  try {
    children.push(startStack(bases.small, small.url), startStack(bases.large, large.url));
    await waitFor(`http://127.0.0.1:${bases.small}/health`, (s) => s === 200);
    await waitFor(`http://127.0.0.1:${bases.large}/health`, (s) => s === 200);
    const subgraphUrls = benchSubgraphUrls(bases.small);
    children.push(
      spawn(TSX, ['scripts/bench-scale.ts', '--stock-gateway', JSON.stringify({ port: bases.stock, urls: subgraphUrls, caller })], {
        cwd: ROOT,
        stdio: 'ignore',
        env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      }),
    );
    await waitFor(`http://127.0.0.1:${bases.stock}/`, (s) => s > 0);
    // Our gateway alone in its process, on the small stack's subgraphs over HTTP.
    children.push(startBenchGateway(bases.alone, bases.small));
    await waitFor(`http://127.0.0.1:${bases.alone}/health`, (s) => s === 200);

    const bearer = async () => ({ authorization: `Bearer ${token}` });
    const gateway = (base: number, label: string, query: string, variables?: () => Record<string, unknown>): Target => ({
      label,
      url: `http://127.0.0.1:${base}/graphql`,
      body: () => JSON.stringify({ query, variables: variables?.() }),
      headers: bearer,
    });
    const nextPhone = () => ({ phone: phones[phoneTurn++ % phones.length] });

    console.log(`\n## Scale: ${small.scale} vs ${large.scale}\n`);
    console.log('| scenario | store | p50 ms | p99 ms | req/s |');
    console.log('|---|---|---:|---:|---:|');
    const ratios: string[] = [];
    const scaleScenarios: [string, string, (() => Record<string, unknown>)?][] = [
      ['standard query: 50 contacts + owner + last 5 calls', STANDARD_QUERY],
      ['users(first: 8) { contacts(first: 10) calls(first: 10) } with totalCounts', usersQuery(8)],
      ['users(first: 20) { … } as above (9 users at scale 1, 20 at scale 417)', usersQuery(20)],
      ['contacts(first: 50) with totalCount', CONTACTS_COUNT_QUERY],
      ['contactByPhone (caller lookup)', BY_PHONE_QUERY, nextPhone],
      ['contacts(search:) with totalCount (word index)', SEARCH_QUERY],
    ];
    for (const [name, query, variables] of scaleScenarios) {
      const [s, l] = await interleaved([gateway(bases.small, name, query, variables), gateway(bases.large, name, query, variables)]);
      console.log(row(name, `scale ${small.scale}`, s!));
      console.log(row(name, `scale ${large.scale}`, l!));
      ratios.push(`  ${name}: p50 large/small ${(l!.p50 / s!.p50).toFixed(2)}x, p99 ${(l!.p99 / s!.p99).toFixed(2)}x`);
    }
    console.log(`\nlarge / small (target: p50 within 1.5x):\n${ratios.join('\n')}`);

    console.log(`\n## Gateway overhead (scale ${small.scale} store)\n`);
    console.log('| scenario | path | p50 ms | p99 ms | req/s |');
    console.log('|---|---|---:|---:|---:|');
    const direct = (subgraph: 'accounts' | 'contacts', query: string): Target => ({
      label: `${subgraph} subgraph`,
      url: benchUrl(bases.small, subgraph),
      body: () => JSON.stringify({ query }),
      headers: async () => ({ [CONTEXT_HEADER]: await signer.sign(caller, subgraph, { query }) }),
    });
    const overhead: string[] = [];
    const pathScenarios: [string, string, Target | undefined][] = [
      ['contacts(first: 50), one subgraph', SINGLE_SUBGRAPH_QUERY, direct('contacts', SINGLE_SUBGRAPH_QUERY)],
      ['{ me { id name } }, one subgraph', ME_QUERY, direct('accounts', ME_QUERY)],
      ['standard query, three subgraphs', STANDARD_QUERY, undefined],
    ];
    for (const [name, query, subgraph] of pathScenarios) {
      const targets = [gateway(bases.small, 'ours', query), gateway(bases.alone, 'ours alone', query), gateway(bases.stock, 'stock', query), ...(subgraph ? [subgraph] : [])];
      const [ours, alone, stock, own] = await interleaved(targets);
      console.log(row(name, 'our gateway (npm start: subgraphs in-process)', ours!));
      console.log(row(name, 'our gateway, own process (HTTP)', alone!));
      console.log(row(name, 'stock @apollo/gateway + signing, own process (HTTP)', stock!));
      if (own) console.log(row(name, 'the subgraph, direct', own));
      const versus = (a: Result, b: Result) => `${(a.p50 / b.p50).toFixed(2)}x`;
      overhead.push(
        `  ${name}: own process ours/stock p50 ${versus(alone!, stock!)}, req/s ${(alone!.rps / stock!.rps).toFixed(2)}x; npm start ours/stock p50 ${versus(ours!, stock!)}` +
          (own
            ? `; /subgraph p50: npm start ${versus(ours!, own)} (+${(ours!.p50 - own.p50).toFixed(2)} ms), own process ${versus(alone!, own)} (+${(alone!.p50 - own.p50).toFixed(2)} ms), stock ${versus(stock!, own)}`
            : ''),
      );
    }
    console.log(`\ngateway overhead (targets: ours at most stock's fixed cost; one subgraph at most 1.5x its own p50):\n${overhead.join('\n')}`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
