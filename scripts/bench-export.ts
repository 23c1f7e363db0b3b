/**
 * `npm run bench:export`: one subject with 10,000 call logs and 50,000 location pings exported end
 * to end — the worker pages every entity through the rights contract over signed HTTP, saves each
 * page, finalizes the document and its SHA-256 receipt — then the document is read back. The
 * rights endpoints are served from memory here, so the figure is the orchestration's own cost
 * (transport, storage, assembly), not the subgraphs' queries.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../platform/database';
import { DEV_AUDIT_KEY, DEV_INTERNAL_SECRET, DEV_PSEUDONYM_SECRET } from '../platform/env';
import type { RightsCall } from '../privacy/rights/contract';
import { PrivacyRequestStore } from '../privacy/rights/requests';
import { createRightsWorker } from '../privacy/rights/runtime';
import { RightsService } from '../privacy/rights/service';
import { verifyRightsSignature } from '../privacy/rights/client';
import { HttpRightsTransport } from '../privacy/rights/transport';
import { PRIVACY_STORE } from '../privacy/store';
import { AuditLog } from '../privacy/store/audit';
import { SuppressionList, suppressionKey } from '../privacy/store/suppression';
import { fakeWorld } from '../test/helpers/fake-rights';

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
  const url = process.env.DATABASE_URL ?? `sqlite:${path.join(dir, 'privacy.sqlite')}`;
  const store = await openDatabase(PRIVACY_STORE, url);
  const tenantId = randomUUID();
  const userId = randomUUID();
  const world = fakeWorld(tenantId, { type: 'USER', id: userId }, { type: 'USER', id: randomUUID() }, { calls: 10_000, pings: 50_000 });
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      if (verifyRightsSignature(DEV_INTERNAL_SECRET, req.headers['x-crm-rights-signature'] as string, body) !== 'ok') return void res.writeHead(401).end('{}');
      const call = JSON.parse(body) as RightsCall;
      const answer = await world.call(new URL(`http://x${req.url}`).searchParams.get('s') ?? '', call);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // One endpoint serves the four subgraphs; a query parameter on each subgraph's rights URL says which.
  const transport = new HttpRightsTransport({ urls: Object.fromEntries(world.subgraphs.map((s) => [s, `http://127.0.0.1:${port}/`])), secret: DEV_INTERNAL_SECRET });
  (transport as unknown as { urls: Map<string, string> }).urls.forEach((value, key, map) => map.set(key, `${value}?s=${key}`));
  const requests = new PrivacyRequestStore(store);
  const service = new RightsService({ requests, transport, audit: new AuditLog(store, DEV_AUDIT_KEY), suppression: new SuppressionList(store, suppressionKey(DEV_PSEUDONYM_SECRET)) });
  const caller = (role: 'MEMBER' | 'ADMIN' | 'DPO', id = randomUUID()) => ({ role, userId: id, tenantId, purpose: 'SERVICE' as const, requestId: randomUUID() });
  const admin = caller('ADMIN');
  const request = await service.submit(caller('MEMBER', userId), { subject: { type: 'USER', id: userId }, type: 'EXPORT' });
  await service.verify(admin, request.id, { email: 'asha@acme.test', phone: '+14155550101' });
  await service.approve(admin, request.id);
  await service.execute(caller('DPO'), request.id);

  const worker = createRightsWorker({ privacyStore: store, transport, auditKey: DEV_AUDIT_KEY, pseudonymSecret: DEV_PSEUDONYM_SECRET, options: { pageSize: 5_000 } });
  const started = performance.now();
  await worker.drain();
  const executed = performance.now();
  const read = await service.exportDocument(caller('DPO'), request.id);
  const done = performance.now();
  const status = (await requests.get(request.id))!.status;
  const document = JSON.parse(read!.document);
  console.log(`store: ${url.startsWith('mysql') ? 'MySQL/MariaDB' : 'SQLite'}; request ${status}`);
  console.log(`rows: ${document.data.calls.CallLog.length} call logs, ${document.data.location.LocationPing.length} pings; document ${(Buffer.byteLength(read!.document) / 1e6).toFixed(1)} MB, sha256 ${read!.sha256.slice(0, 12)}…`);
  console.log(`execute (worker, every page over signed HTTP, saved, finalized): ${(executed - started).toFixed(0)} ms`);
  console.log(`read the document back (assembled from its pages, hashed): ${(done - executed).toFixed(0)} ms`);
  console.log(`total: ${(done - started).toFixed(0)} ms (target < 5000 ms)`);
  server.close();
  await store.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
