/**
 * `npm run bench:export [-- --database-url mysql://…]`: one user with 10,000 call logs and 50,000
 * location pings exported end to end on the real product — the request submitted, verified,
 * approved and executed through the gateway, the worker paging every entity of every data subgraph
 * through the rights contract over signed HTTP (their own queries included), saving each page and
 * finalizing the document and its SHA-256 receipt — then the document read back by the user.
 * SQLite by default (a scratch file); a MySQL/MariaDB URL must name an empty database.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintDevToken } from '../gateway/dev-tokens';
import { createRightsWorker } from '../privacy/rights/runtime';
import { HttpRightsTransport } from '../privacy/rights/transport';
import { startStack } from '../stack';
import { CallLogEntity, type CallLogRow } from '../subgraphs/calls/entities';
import { LocationPingEntity, type LocationPingRow } from '../subgraphs/location/entities';
import { loadSubgraphConfig } from '../subgraphs/shared/config';
import { DATA_SUBGRAPH_NAMES } from '../subgraphs/shared/subgraph';

const CALLS = 10_000;
const PINGS = 50_000;
const CHUNK = 500;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
  const databaseUrl = option('database-url') ?? `sqlite:${path.join(dir, 'bench.sqlite')}`;
  const ports = { accounts: 0, contacts: 0, calls: 0, location: 0, privacy: 0 };
  const stack = await startStack({ seedIfEmpty: true, rightsWorker: false, subgraph: { databaseUrl, host: '127.0.0.1', ports, retentionSchedule: false }, gateway: { host: '127.0.0.1', port: 0 } });
  try {
    const [tenant] = await stack.stores.accounts.query('SELECT id FROM tenants ORDER BY id LIMIT 1');
    const users: { id: string; teamId: string | null; email: string; phone: string }[] = await stack.stores.accounts.query(
      'SELECT id, teamId, email, phone FROM users WHERE tenantId = ? AND email IS NOT NULL AND phone IS NOT NULL ORDER BY id',
      [tenant.id],
    );
    const [admin, user] = [users[0]!, users[1]!];

    // The subject's history: 10,000 calls and 50,000 pings, in bulk.
    const seeded = performance.now();
    const base = Date.now() - 60 * 86_400_000;
    await stack.stores.calls.transaction(async (tx) => {
      for (let i = 0; i < CALLS; i += CHUNK) {
        const rows: CallLogRow[] = Array.from({ length: Math.min(CHUNK, CALLS - i) }, (_, j) => ({
          id: randomUUID(), tenantId: tenant.id, contactId: null, userId: user.id, direction: 'OUTBOUND', startedAt: new Date(base + (i + j) * 60_000),
          durationSeconds: 60, disposition: 'CONNECTED', counterpartyNumber: `+1415555${String((i + j) % 10_000).padStart(4, '0')}`, notes: 'Followed up on the offer', recordingUrl: null,
        }));
        await tx.getRepository(CallLogEntity).insert(rows);
      }
    });
    await stack.stores.location.transaction(async (tx) => {
      for (let i = 0; i < PINGS; i += CHUNK) {
        const rows: LocationPingRow[] = Array.from({ length: Math.min(CHUNK, PINGS - i) }, (_, j) => ({
          id: randomUUID(), tenantId: tenant.id, userId: user.id, latitude: 37.77 + j / 1e5, longitude: -122.41 - j / 1e5, accuracyMeters: 12, recordedAt: new Date(base + (i + j) * 10_000),
        }));
        await tx.getRepository(LocationPingEntity).insert(rows);
      }
    });
    console.log(`store: ${databaseUrl.startsWith('mysql') ? 'MySQL/MariaDB' : 'SQLite'}; seeded ${CALLS} call logs and ${PINGS} pings for one user in ${(performance.now() - seeded).toFixed(0)} ms`);

    const token = (role: 'MEMBER' | 'ADMIN' | 'DPO', who: typeof user) => mintDevToken({ sub: who.id, tenant: tenant.id, role, ...(who.teamId ? { team: who.teamId } : {}) });
    const ask = async (bearer: string, query: string, variables?: Record<string, unknown>) => {
      const res = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const [self, adminToken, dpo] = await Promise.all([token('MEMBER', user), token('ADMIN', admin), token('DPO', admin)]);
    const { submitPrivacyRequest } = await ask(self, 'mutation($s: ID!) { submitPrivacyRequest(input: { subject: { type: USER, id: $s }, type: EXPORT }) { id } }', { s: user.id });
    const id = submitPrivacyRequest.id as string;
    await ask(adminToken, 'mutation($id: ID!, $c: IdentityClaimsInput!) { verifyPrivacyRequest(id: $id, claims: $c) { status } }', { id, c: { email: user.email, phone: user.phone } });
    await ask(adminToken, 'mutation($id: ID!) { approvePrivacyRequest(id: $id) { status } }', { id });
    await ask(dpo, 'mutation($id: ID!) { executePrivacyRequest(id: $id) { status } }', { id });

    const config = loadSubgraphConfig();
    const transport = new HttpRightsTransport({ urls: Object.fromEntries(DATA_SUBGRAPH_NAMES.map((name) => [name, stack.subgraphs[name].url])), secret: config.internalSecret });
    const worker = createRightsWorker({ privacyStore: stack.stores.privacy, transport, auditKey: config.auditKey, pseudonymSecret: config.pseudonymSecret });
    const started = performance.now();
    await worker.drain();
    const executed = performance.now();
    const { privacyRequest, privacyExport } = await ask(self, 'query($id: ID!) { privacyRequest(id: $id) { status } privacyExport(requestId: $id) { sha256 document } }', { id });
    const done = performance.now();

    const text = privacyExport.document as string;
    const count = (needle: string) => text.split(needle).length - 1;
    console.log(`request ${privacyRequest.status}; document ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB holding ${count('"startedAt"')} call logs and ${count('"recordedAt"')} pings; sha256 ${privacyExport.sha256.slice(0, 12)}…`);
    console.log(`execute (worker: every page of every data subgraph over signed HTTP, saved, finalized): ${(executed - started).toFixed(0)} ms`);
    console.log(`read the document back through the gateway (assembled from its pages): ${(done - executed).toFixed(0)} ms`);
    console.log(`total: ${(done - started).toFixed(0)} ms (target < 5000 ms)`);
  } finally {
    await stack.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
