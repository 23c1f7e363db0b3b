import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../platform/database';
import { DEV_AUDIT_KEY, DEV_PSEUDONYM_SECRET } from '../../platform/env';
import type { Caller } from '../../privacy/caller';
import { RIGHTS_PATH, RIGHTS_SIGNATURE_HEADER, type RightsCall } from '../../privacy/rights/contract';
import { PrivacyRequestStore } from '../../privacy/rights/requests';
import { createRightsWorker } from '../../privacy/rights/runtime';
import { RightsService } from '../../privacy/rights/service';
import { verifyRightsSignature } from '../../privacy/rights/client';
import { HttpRightsTransport, RightsCallError } from '../../privacy/rights/transport';
import type { RightsWorkerOptions } from '../../privacy/rights/worker';
import { PRIVACY_STORE } from '../../privacy/store';
import { AuditLog } from '../../privacy/store/audit';
import { SuppressionList, suppressionKey } from '../../privacy/store/suppression';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { fakeWorld, type FakeRightsSubgraphs } from '../helpers/fake-rights';

let database: TestDatabase;
let store: DataSource;
const tenantId = randomUUID();
const caller = (role: Caller['role'], userId = randomUUID()): Caller => ({ role, userId, tenantId, purpose: role === 'DPO' ? 'RIGHTS_REQUEST' : 'SERVICE', requestId: randomUUID() });
const admin = caller('ADMIN');
const dpo = caller('DPO');

beforeAll(async () => {
  database = await createTestDatabase();
  store = await openDatabase(PRIVACY_STORE, database.url);
});
afterAll(async () => {
  await store.destroy();
  await database.drop();
});

/** A user's request of this type, taken to IN_PROGRESS (submitted by the user, verified and approved by the ADMIN, executed by the DPO). */
async function inProgress(world: FakeRightsSubgraphs, type: 'EXPORT' | 'ERASE', userId = randomUUID()) {
  const user = caller('MEMBER', userId);
  world.data.accounts![0]!.rows.forEach((r) => r.subject.id === 'PERSON' && (r.subject.id = userId));
  for (const entities of Object.values(world.data)) for (const e of entities) for (const r of e.rows) if (r.subject.id === 'PERSON') r.subject.id = userId;
  const service = new RightsService({ requests: new PrivacyRequestStore(store), transport: world, audit: new AuditLog(store, DEV_AUDIT_KEY), suppression: new SuppressionList(store, suppressionKey(DEV_PSEUDONYM_SECRET)) });
  const request = await service.submit(user, { subject: { type: 'USER', id: userId }, type });
  await service.verify(admin, request.id, { email: 'asha@acme.test', phone: '+14155550101' });
  await service.approve(admin, request.id);
  await service.execute(dpo, request.id);
  return request.id;
}

const worker = (world: FakeRightsSubgraphs, options: RightsWorkerOptions = {}) =>
  createRightsWorker({ privacyStore: store, transport: world, auditKey: DEV_AUDIT_KEY, pseudonymSecret: DEV_PSEUDONYM_SECRET, options: { pageSize: 10, backoffMs: 10, maxBackoffMs: 20, ...options } });
const world = () => fakeWorld(tenantId, { type: 'USER', id: 'PERSON' }, { type: 'USER', id: randomUUID() });
const requests = () => new PrivacyRequestStore(store);
const key = (c: { subgraph: string; call: RightsCall }) => JSON.stringify([c.subgraph, c.call]);

describe('rights worker', () => {
  it('two workers on one store never run a step twice, and together complete the request', async () => {
    const fake = world();
    const id = await inProgress(fake, 'ERASE');
    // Every call slows a little so the two workers overlap.
    fake.beforeCall = () => new Promise((resolve) => setTimeout(resolve, 5));
    const [a, b] = [worker(fake), worker(fake)];
    await Promise.all([a.drain(), b.drain()]);
    expect((await requests().get(id))!.status).toBe('COMPLETED');
    const workCalls = fake.calls.filter((c) => c.call.op !== 'verify');
    expect(new Set(workCalls.map(key)).size).toBe(workCalls.length);
    const steps = await requests().stepsOf(id);
    expect(steps.every((s) => s.status === 'DONE')).toBe(true);
    // One DESCRIBE, FINGERPRINTS and DRY_RUN per subgraph; one ERASE per entity.
    expect(steps.filter((s) => s.action === 'ERASE').map((s) => `${s.subgraph}.${s.entity}`).sort()).toEqual(['accounts.User', 'calls.CallLog', 'contacts.Contact', 'location.LocationPing']);
  });

  it('an erasure whose worker is killed mid-step stays IN_PROGRESS and another worker completes it from the saved page', async () => {
    const fake = world();
    const id = await inProgress(fake, 'ERASE');
    let erasePages = 0;
    // The first worker hangs forever on its third page of pings, as if the process had been killed there.
    fake.beforeCall = (subgraph, call) => (call.op === 'erase' && subgraph === 'location' && ++erasePages === 3 ? new Promise<void>(() => undefined) : undefined);
    const killed = worker(fake, { leaseMs: 400 });
    void killed.drain();
    await waitFor(async () => erasePages >= 3);
    const step = (await requests().stepsOf(id)).find((s) => s.action === 'ERASE' && s.subgraph === 'location')!;
    expect(step).toMatchObject({ status: 'RUNNING', pages: 2 });
    expect((await requests().get(id))!.status).toBe('IN_PROGRESS');
    const savedCursor = step.cursor;
    expect(savedCursor).toBeTruthy();

    fake.beforeCall = undefined;
    await new Promise((resolve) => setTimeout(resolve, 450));
    const before = fake.calls.length;
    await worker(fake).drain();
    const resumed = fake.calls.slice(before).find((c) => c.call.op === 'erase' && c.subgraph === 'location')!;
    expect((resumed.call as { cursor: string | null }).cursor).toBe(savedCursor);
    const done = await requests().get(id);
    expect(done!.status).toBe('COMPLETED');
    // The dry run's counts are what the erasure did, entity by entity.
    const result = JSON.parse(done!.result!) as { dryRun: object[]; erased: object[] };
    const order = (rows: any[]) => rows.map(({ subgraph, entity, deleted, anonymized, values, objects }) => ({ subgraph, entity, deleted, anonymized, values, objects })).sort((x, y) => (x.entity < y.entity ? -1 : 1));
    expect(order(result.erased)).toEqual(order(result.dryRun));
    expect(fake.data.location![0]!.rows).toHaveLength(1);
  });

  it('an erasure with a subgraph down keeps the step with its attempts and error code, stays IN_PROGRESS, and completes once the subgraph is back', async () => {
    const fake = world();
    const id = await inProgress(fake, 'ERASE');
    fake.down.add('calls');
    await worker(fake, { backoffMs: 400, maxBackoffMs: 400 }).drain();
    let steps = await requests().stepsOf(id);
    const failing = steps.filter((s) => s.subgraph === 'calls' && s.status !== 'DONE');
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.some((s) => s.attempts >= 1 && s.lastError === 'UNAVAILABLE' && s.status === 'PENDING')).toBe(true);
    expect((await requests().get(id))!.status).toBe('IN_PROGRESS');
    // Nothing of a later phase ran while an earlier one is unfinished.
    expect(steps.filter((s) => s.action === 'ERASE')).toHaveLength(0);

    fake.down.delete('calls');
    await new Promise((resolve) => setTimeout(resolve, 450));
    await worker(fake).drain();
    steps = await requests().stepsOf(id);
    expect(steps.every((s) => s.status === 'DONE')).toBe(true);
    expect((await requests().get(id))!.status).toBe('COMPLETED');
  });

  it('a graceful stop leaves the step PENDING at its saved page', async () => {
    const fake = world();
    const id = await inProgress(fake, 'EXPORT');
    const w = worker(fake, { pageSize: 5 });
    let pages = 0;
    fake.beforeCall = async (_s, call) => {
      if (call.op === 'export' && call.entity === 'LocationPing' && ++pages === 2) void w.stop();
    };
    w.start();
    await waitFor(async () => pages >= 2);
    await w.stop();
    const step = (await requests().stepsOf(id)).find((s) => s.entity === 'LocationPing')!;
    expect(step.status).toBe('PENDING');
    expect(step.pages).toBe(2);
    fake.beforeCall = undefined;
    await worker(fake, { pageSize: 5 }).drain();
    expect((await requests().get(id))!.status).toBe('COMPLETED');
    const parts = (await requests().parts(id)).filter((p) => p.entity === 'LocationPing');
    expect(parts.flatMap((p) => JSON.parse(p.rows) as { id: string }[]).map((r) => r.id)).toEqual(Array.from({ length: 40 }, (_, i) => `ping-${String(i).padStart(6, '0')}`));
  });
});

describe('HTTP rights transport', () => {
  it('signs each call; an endpoint that checks the signature answers, a wrong secret is refused', async () => {
    const secret = 'a-rights-secret-of-at-least-32-characters!';
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const ok = req.url === RIGHTS_PATH && verifyRightsSignature(secret, req.headers[RIGHTS_SIGNATURE_HEADER] as string | undefined, body) === 'ok';
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { subgraph: 'calls', entities: [{ entity: 'CallLog', erase: 'ANONYMIZE', keptBecause: 'LEGAL_OBLIGATION' }] } : { error: { code: 'UNAUTHENTICATED', message: 'bad signature' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    try {
      const good = new HttpRightsTransport({ urls: { calls: url }, secret });
      await expect(good.call('calls', { op: 'describe' })).resolves.toEqual({ subgraph: 'calls', entities: [{ entity: 'CallLog', erase: 'ANONYMIZE', keptBecause: 'LEGAL_OBLIGATION' }] });
      const bad = new HttpRightsTransport({ urls: { calls: url }, secret: 'another-secret-of-at-least-32-characters' });
      await expect(bad.call('calls', { op: 'describe' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      server.close();
    }
    const down = new HttpRightsTransport({ urls: { calls: url }, secret });
    await expect(down.call('calls', { op: 'describe' })).rejects.toBeInstanceOf(RightsCallError);
    await expect(down.call('calls', { op: 'describe' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
