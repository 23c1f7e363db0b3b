/**
 * `npm run chaos`: bounded traffic of every kind of caller while one subgraph is frozen, then
 * killed, and the database is cut off — then figures: requests, answers by status and code, partial
 * answers, hung requests, audited disclosures against the audit records written, crashes, and the
 * resident memory of the gateway and the subgraphs at start and end.
 *
 *   npm run chaos -- [--mode single|services|mariadb] [--duration 120] [--concurrency 6]
 *                    [--database-url mysql://root@127.0.0.1:3306/] [--timeout-ms 2000]
 *
 * Modes: `single` runs the gateway and three subgraphs in one process on the embedded store (the
 * calls subgraph, which the faults hit, in a process of its own so it can be frozen and killed);
 * `services` runs one process per service on the embedded store; `mariadb` the same on a scratch
 * database of the MySQL/MariaDB server named by --database-url, reached through a relay this
 * script can cut. On the embedded store "cutting the database" means another process holds the
 * file's write lock for longer than the services wait for it.
 *
 * Everything listens on 127.0.0.1 only; traffic goes nowhere else. The scratch database and
 * processes are removed at the end. Not part of `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { mintDevToken } from '../gateway/dev-tokens';
import { openDatabase } from '../platform/database';
import { PRIVACY_STORE } from '../privacy/store';
import { AuditRecordEntity } from '../privacy/store/entities';
import { generateDemoData, type DemoData } from '../seed/generate';
import { loadDemoData } from '../seed/load';
import { closeStores, openStores, startStack } from '../stack';
import { SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/shared/subgraph';

const ROOT = path.resolve(__dirname, '..');
const VICTIM: SubgraphName = 'calls';
type Mode = 'single' | 'services' | 'mariadb';

// ---------------------------------------------------------------- the stack under test (child side)

/** `--serve-stack`: the one-process stack, with the victim subgraph's URL pointing at its own process. */
async function serveStack(): Promise<void> {
  const stack = await startStack({ seedIfEmpty: false, gateway: { subgraphUrls: { [VICTIM]: process.env.CHAOS_VICTIM_URL! } } });
  process.once('SIGTERM', () => void stack.close().then(() => process.exit(0)));
}

// ---------------------------------------------------------------- processes

interface Service {
  name: string;
  child: ChildProcess;
  /** Set when the script itself ended or killed it. */
  expectedExit: boolean;
  exitedUnexpectedly: boolean;
}

function startService(name: string, args: string[], env: NodeJS.ProcessEnv, log: fs.WriteStream): Service {
  // `node --import tsx` runs the service in this very process: the pid is the server's, for signals and RSS.
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const service: Service = { name, child, expectedExit: false, exitedUnexpectedly: false };
  child.once('exit', () => {
    if (!service.expectedExit) service.exitedUnexpectedly = true;
  });
  return service;
}

function stopService(service: Service, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  service.expectedExit = true;
  if (service.child.exitCode !== null || service.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    service.child.once('exit', () => resolve());
    service.child.kill(signal);
    setTimeout(() => service.child.kill('SIGKILL'), 5000).unref();
  });
}

/** Resident memory of one process in MB, from /proc. */
function rssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 4; i += 1) {
    if ((await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0)) === 200) return;
    await sleep(250);
  }
  throw new Error(`${url} did not become healthy`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- database and its cut

interface Store {
  /** What the services are given. */
  url: string;
  /** Makes the database unreachable (or unwritable) for the services until restore(). */
  cut(): Promise<void>;
  restore(): Promise<void>;
  drop(): Promise<void>;
  description: string;
}

/** A TCP relay in front of the database server: cutting it drops every connection and refuses new ones. */
async function relayTo(host: string, port: number): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let cut = false;
  const listenPort = await freePort();
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(port, host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => s.destroy());
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(listenPort, '127.0.0.1', () => resolve());
    });
  await open();
  return {
    port: listenPort,
    cut: () =>
      new Promise<void>((resolve) => {
        if (cut) return resolve();
        cut = true;
        for (const s of sockets) s.destroy();
        server!.close(() => resolve());
      }),
    restore: async () => {
      if (!cut) return;
      cut = false;
      await open();
    },
  };
}

async function prepareStore(mode: Mode, databaseUrl: string, workDir: string): Promise<Store> {
  if (mode !== 'mariadb') {
    const file = path.join(workDir, 'crm.sqlite');
    let holder: Database.Database | undefined;
    return {
      url: `sqlite:${file}`,
      description: 'SQLite file write-locked by another process',
      cut: async () => {
        holder = new Database(file);
        holder.pragma('busy_timeout = 10000');
        holder.exec('BEGIN EXCLUSIVE');
      },
      restore: async () => {
        holder?.exec('COMMIT');
        holder?.close();
        holder = undefined;
      },
      drop: async () => undefined,
    };
  }
  const server = new URL(databaseUrl);
  const name = `crm_chaos_${process.pid}`;
  const credentials = { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) };
  const admin = await mysql.createConnection(credentials);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const relay = await relayTo(credentials.host, credentials.port);
  const through = new URL(server.toString());
  through.hostname = '127.0.0.1';
  through.port = String(relay.port);
  through.pathname = `/${name}`;
  return {
    url: through.toString(),
    description: 'MariaDB connections dropped by a relay',
    cut: relay.cut,
    restore: relay.restore,
    drop: async () => {
      await relay.cut();
      const conn = await mysql.createConnection(credentials);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

// ---------------------------------------------------------------- traffic

interface Scenario {
  name: string;
  audited: boolean;
  /** True when the answer showed personal data to an audited caller (so an audit record must exist). */
  disclosed(data: any): boolean;
  request(): Promise<{ body: string; headers: Record<string, string> }>;
}

async function scenarios(demo: DemoData): Promise<Scenario[]> {
  const acme = demo.tenants[0]!;
  const member = demo.users.find((u) => u.tenantId === acme.id && u.teamId)!;
  const token = (role: 'ADMIN' | 'MEMBER' | 'SUPPORT' | 'PARTNER' | 'DPO', extra: Record<string, unknown> = {}) =>
    mintDevToken({ sub: member.id, tenant: acme.id, role, ...(member.teamId ? { team: member.teamId } : {}), ...extra } as never);
  const ticket = { id: 'T-CHAOS', reason: 'Load and fault test', expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString() };
  const withCalls = demo.callLogs.filter((c) => c.tenantId === acme.id && c.contactId).map((c) => c.contactId!);
  const tokens = {
    ADMIN: await token('ADMIN'),
    MEMBER: await token('MEMBER'),
    SUPPORT: await token('SUPPORT', { ticket }),
    PARTNER: await token('PARTNER', { partner: 'maps-app' }),
    DPO: await token('DPO'),
  };
  const post = (query: string, bearer?: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) => async () => ({
    body: JSON.stringify({ query, variables }),
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
  });
  const nonEmpty = (nodes: unknown) => Array.isArray(nodes) && nodes.length > 0;
  let next = 0;
  const contactWithCalls = () => withCalls[(next += 1) % withCalls.length]!;
  return [
    { name: 'ADMIN: contacts, owners, last call, team locations', audited: false, disclosed: () => false, request: post('{ contacts(first: 10) { nodes { name email owner { name } lastCall { startedAt } } } users(first: 5) { nodes { name lastLocation { latitude } } } }', tokens.ADMIN) },
    { name: 'MEMBER: own contacts and calls', audited: false, disclosed: () => false, request: post('{ me { name contacts(first: 5) { nodes { name phone calls(first: 3) { nodes { startedAt disposition } } } } } }', tokens.MEMBER) },
    { name: 'SUPPORT with ticket: contacts', audited: true, disclosed: (d) => nonEmpty(d?.contacts?.nodes), request: post('{ contacts(first: 5) { nodes { name email } } }', tokens.SUPPORT, { 'x-purpose': 'SUPPORT' }) },
    { name: 'PARTNER maps-app: installer', audited: true, disclosed: (d) => typeof d?.me?.name === 'string', request: post('{ me { name email } }', tokens.PARTNER, { 'x-purpose': 'PARTNER_SHARING' }) },
    {
      name: 'DPO: a contact’s calls',
      audited: true,
      disclosed: (d) => nonEmpty(d?.contact?.calls?.nodes),
      request: async () => post('query($id: ID!) { contact(id: $id) { calls(first: 3) { nodes { counterpartyNumber startedAt } } } }', tokens.DPO, { 'x-purpose': 'LEGAL' }, { id: contactWithCalls() })(),
    },
    { name: 'anonymous probe', audited: false, disclosed: () => false, request: post('{ __typename }') },
    { name: 'anonymous 200 KB query', audited: false, disclosed: () => false, request: post(`{ ${'me { id name } '.repeat(14_000)} }`) },
  ];
}

interface Tally {
  requests: number;
  byOutcome: Map<string, number>;
  partial: number;
  hung: number;
  /** Gateway request ids of audited answers that showed personal data. */
  disclosures: string[];
  /** Longest answer time in ms. */
  slowest: number;
}

/** The answer in one word: HTTP status and the first error code (or "ok"). */
function outcomeOf(status: number, body: any): string {
  const first = Array.isArray(body) ? body[0] : body;
  const codes = [...new Set((first?.errors ?? []).map((e: any) => e?.extensions?.code ?? 'NO_CODE'))].sort();
  return `${status} ${codes.length ? codes.join('+') : 'ok'}`;
}

async function worker(gatewayUrl: string, list: Scenario[], until: number, clientTimeoutMs: number, tally: Tally, seed: number): Promise<void> {
  let i = seed;
  while (Date.now() < until) {
    const scenario = list[(i += 1) % list.length]!;
    const { body, headers } = await scenario.request();
    const started = Date.now();
    tally.requests += 1;
    try {
      const response = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(clientTimeoutMs) });
      const json = (await response.json()) as any;
      const outcome = outcomeOf(response.status, json);
      tally.byOutcome.set(outcome, (tally.byOutcome.get(outcome) ?? 0) + 1);
      if (json?.data && json?.errors?.length) tally.partial += 1;
      if (scenario.audited && response.status === 200 && scenario.disclosed(json?.data)) tally.disclosures.push(response.headers.get('x-request-id')!);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError') tally.hung += 1;
      const outcome = name === 'TimeoutError' ? 'no answer (client timeout)' : `connection failed (${(error as { cause?: { code?: string } }).cause?.code ?? name})`;
      tally.byOutcome.set(outcome, (tally.byOutcome.get(outcome) ?? 0) + 1);
    }
    tally.slowest = Math.max(tally.slowest, Date.now() - started);
  }
}

// ---------------------------------------------------------------- the run

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'single' },
      duration: { type: 'string', default: process.env.CHAOS_DURATION_S ?? '120' },
      concurrency: { type: 'string', default: '6' },
      'database-url': { type: 'string', default: 'mysql://root@127.0.0.1:3306/' },
      'timeout-ms': { type: 'string', default: '2000' },
      'serve-stack': { type: 'boolean', default: false },
    },
  });
  if (values['serve-stack']) return serveStack();
  const mode = values.mode as Mode;
  if (!['single', 'services', 'mariadb'].includes(mode)) throw new Error('--mode is single, services or mariadb');
  const durationMs = Number(values.duration) * 1000;
  const concurrency = Number(values.concurrency);
  const timeoutMs = Number(values['timeout-ms']);
  if (!(durationMs >= 20_000) || !(concurrency >= 1) || !(timeoutMs >= 100)) throw new Error('--duration >= 20 s, --concurrency >= 1, --timeout-ms >= 100');

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-chaos-'));
  const log = fs.createWriteStream(path.join(workDir, 'services.log'));
  const store = await prepareStore(mode, values['database-url']!, workDir);
  const say = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const services: Service[] = [];
  try {
    say(`mode ${mode}: seeding ${store.url.replace(/\/\/[^@]*@/, '//')}`);
    const demo = generateDemoData();
    const stores = await openStores(store.url);
    await loadDemoData(stores, demo);
    await closeStores(stores);

    const ports = { gateway: await freePort(), accounts: await freePort(), contacts: await freePort(), calls: await freePort(), location: await freePort(), privacy: await freePort() };
    const url = (name: SubgraphName) => `http://127.0.0.1:${ports[name]}/graphql`;
    const common = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      DATABASE_URL: store.url,
      SUBGRAPH_TIMEOUT_MS: String(timeoutMs),
      ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`${n.toUpperCase()}_PORT`, String(ports[n])])),
      ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`${n.toUpperCase()}_URL`, url(n)])),
    };
    const startVictim = () => startService(VICTIM, ['subgraphs/main.ts', VICTIM], common, log);
    if (mode === 'single') {
      // The stack's own calls subgraph takes a free port and is left unused; the gateway asks the victim.
      services.push(startService('gateway + 3 subgraphs', ['scripts/chaos.ts', '--serve-stack'], { ...common, PORT: String(ports.gateway), CALLS_PORT: '0', CHAOS_VICTIM_URL: url(VICTIM) }, log));
      services.push(startVictim());
    } else {
      for (const name of SUBGRAPH_NAMES) services.push(name === VICTIM ? startVictim() : startService(name, ['subgraphs/main.ts', name], common, log));
      services.push(startService('gateway', ['gateway/main.ts'], { ...common, PORT: String(ports.gateway) }, log));
    }
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
    await waitFor(gatewayUrl.replace(/graphql$/, 'health'), 120);

    const list = await scenarios(demo);
    // Warm up (JIT, connection pools) before the first memory reading.
    const warm: Tally = { requests: 0, byOutcome: new Map(), partial: 0, hung: 0, disclosures: [], slowest: 0 };
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(gatewayUrl, list, Date.now() + 5000, timeoutMs + 5000, warm, w)));
    const rssStart = new Map(services.map((s) => [s.name, rssMb(s.child.pid)]));
    const privacy = await openDatabase(PRIVACY_STORE, store.url);
    const recordsBefore = await privacy.getRepository(AuditRecordEntity).count();
    await privacy.destroy();

    const started = Date.now();
    const until = started + durationMs;
    const at = (fraction: number) => started + durationMs * fraction;
    const tally: Tally = { requests: 0, byOutcome: new Map(), partial: 0, hung: 0, disclosures: [], slowest: 0 };
    const traffic = Promise.all(Array.from({ length: concurrency }, (_, w) => worker(gatewayUrl, list, until, timeoutMs + 5000, tally, w)));

    const faults = (async () => {
      let victim = services.find((s) => s.name === VICTIM)!;
      const freezeFor = Math.min(40_000, durationMs * 0.2);
      await sleep(at(0.15) - Date.now());
      say(`SIGSTOP ${VICTIM} (pid ${victim.child.pid}) for ${Math.round(freezeFor / 1000)} s`);
      victim.child.kill('SIGSTOP');
      await sleep(freezeFor);
      victim.child.kill('SIGCONT');
      say(`SIGCONT ${VICTIM}`);
      await sleep(at(0.5) - Date.now());
      say(`SIGKILL ${VICTIM}; restarted 5 s later`);
      await stopService(victim, 'SIGKILL');
      await sleep(5000);
      victim = startVictim();
      services[services.findIndex((s) => s.name === VICTIM)] = victim;
      await sleep(at(0.72) - Date.now());
      say(`database cut for 10 s (${store.description})`);
      await store.cut();
      await sleep(10_000);
      await store.restore();
      say('database back');
    })();
    // Memory at each quarter of the run, to tell growth that levels off from growth that does not.
    const samples = new Map<string, (number | undefined)[]>(services.map((s) => [s.name, [rssStart.get(s.name)]]));
    const sampling = (async () => {
      for (const fraction of [0.25, 0.5, 0.75]) {
        await sleep(at(fraction) - Date.now());
        for (const s of services) samples.get(s.name)!.push(rssMb(s.child.pid));
      }
    })();
    await Promise.all([traffic, faults, sampling]);
    for (const s of services) samples.get(s.name)!.push(rssMb(s.child.pid));

    // Every audited answer that showed personal data must have its audit record(s), by the gateway's request id.
    const audit = await openDatabase(PRIVACY_STORE, store.url);
    const records = await audit.getRepository(AuditRecordEntity).find({ select: { requestId: true } });
    await audit.destroy();
    const recordsDuring = records.length - recordsBefore;
    const recorded = new Set(records.map((r) => r.requestId));
    const unaudited = tally.disclosures.filter((id) => !recorded.has(id)).length;
    const crashes = services.filter((s) => s.exitedUnexpectedly).map((s) => s.name);

    const lines = [
      '',
      `mode ${mode} · ${Math.round(durationMs / 1000)} s · ${concurrency} clients · subgraph timeout ${timeoutMs} ms · faults: ${VICTIM} frozen, killed and restarted; ${store.description}`,
      `requests            ${tally.requests} (${Math.round(tally.requests / (durationMs / 1000))}/s)`,
      ...[...tally.byOutcome.entries()].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `  ${outcome.padEnd(40)} ${n}`),
      `partial answers     ${tally.partial} (data and errors)`,
      `hung past timeout   ${tally.hung} (no answer within ${timeoutMs + 5000} ms); slowest answer ${tally.slowest} ms`,
      `audited disclosures ${tally.disclosures.length}; without an audit record: ${unaudited}; audit records written ${recordsDuring}`,
      `crashes             ${crashes.length ? crashes.join(', ') : 0}`,
      'RSS MB at start, 1/4, 1/2, 3/4, end',
      ...services.map((s) => `  ${s.name.padEnd(22)} ${samples.get(s.name)!.map((mb) => mb ?? '?').join(' -> ')}${s.name === VICTIM ? ` (killed and restarted at 1/2)` : ''}`),
      `service logs        ${path.join(workDir, 'services.log')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (crashes.length > 0 || tally.hung > 0 || unaudited > 0) process.exitCode = 1;
  } finally {
    for (const service of services) await stopService(service);
    await store.restore().catch(() => undefined);
    await store.drop();
    log.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos run failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
