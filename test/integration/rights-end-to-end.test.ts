import { createHash } from 'node:crypto';
import { DEV_AUDIT_KEY, DEV_PSEUDONYM_SECRET } from '../../platform/env';
import { DAY_MS } from '../../privacy/rights/lifecycle';
import { PrivacyRequestStore } from '../../privacy/rights/requests';
import { runRetention, type RetentionReport } from '../../privacy/retention/run';
import { AuditLog } from '../../privacy/store/audit';
import { createRightsWorker } from '../../privacy/rights/runtime';
import { HttpRightsTransport } from '../../privacy/rights/transport';
import { SUBGRAPHS } from '../../subgraphs';
import { loadSubgraphConfig } from '../../subgraphs/shared/config';
import { startSubgraph } from '../../subgraphs/shared/server';
import { DATA_SUBGRAPH_NAMES } from '../../subgraphs/shared/subgraph';
import { sweepResidue } from '../../scripts/rights-sweep';
import { startTestStack, type TestStack } from '../helpers/stack';

/**
 * The rights workflow against the real data subgraphs: an export holds every row of the person in
 * every table; an erasure interrupted by a killed worker and by a stopped subgraph stays
 * IN_PROGRESS, completes when run again, and leaves no residue anywhere.
 */
let t: TestStack;
let transport: HttpRightsTransport;

beforeAll(async () => {
  t = await startTestStack({ rightsWorker: false });
  transport = new HttpRightsTransport({ urls: Object.fromEntries(DATA_SUBGRAPH_NAMES.map((name) => [name, t.stack.subgraphs[name].url])), secret: loadSubgraphConfig().internalSecret });
});
afterAll(() => t.close());

const REQUEST = 'id status rejectionReason steps { action status }';
const tenant = () => t.demo.tenants[0]!;
const members = () => t.demo.users.filter((u) => u.tenantId === tenant().id);
/** A worker with short leases and back-offs, so the test can outlive them. */
const worker = (id: string, leaseMs = 60_000) =>
  createRightsWorker({ privacyStore: t.stack.stores.privacy, transport, auditKey: DEV_AUDIT_KEY, pseudonymSecret: DEV_PSEUDONYM_SECRET, options: { id, leaseMs, pageSize: 25, backoffMs: 300, maxBackoffMs: 300 } });
const statusOf = async (id: string) => (await new PrivacyRequestStore(t.stack.stores.privacy).get(id))!.status;

async function gql(token: string, query: string, variables?: Record<string, unknown>) {
  const res = await t.query(query, { token, variables });
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

/** Submitted by `submitter`, verified with two held data points and approved by the ADMIN, executed by the DPO. */
async function executed(submitter: string, input: Record<string, unknown>, claims: { email: string; phone: string }): Promise<string> {
  const admin = await t.tokenFor('ADMIN', { user: members()[0]!.id });
  const dpo = await t.tokenFor('DPO');
  const { submitPrivacyRequest } = await gql(submitter, `mutation($input: PrivacyRequestInput!) { submitPrivacyRequest(input: $input) { ${REQUEST} } }`, { input });
  const id = submitPrivacyRequest.id as string;
  const verified = await gql(admin, `mutation($id: ID!, $claims: IdentityClaimsInput!) { verifyPrivacyRequest(id: $id, claims: $claims) { ${REQUEST} } }`, { id, claims });
  expect(verified.verifyPrivacyRequest.status).toBe('VERIFIED');
  expect((await gql(admin, `mutation { approvePrivacyRequest(id: "${id}") { status } }`)).approvePrivacyRequest.status).toBe('APPROVED');
  expect((await gql(dpo, `mutation { executePrivacyRequest(id: "${id}") { status } }`)).executePrivacyRequest.status).toBe('IN_PROGRESS');
  return id;
}

describe('rights against the real subgraphs', () => {
  it('exports every row of a seeded user in every table, with a SHA-256 receipt of the document', async () => {
    const user = members().find((u) => u.email && u.phone && t.demo.callLogs.some((c) => c.userId === u.id) && t.demo.locationPings.some((p) => p.userId === u.id))!;
    const self = await t.tokenFor('MEMBER', { user: user.id });
    const id = await executed(self, { subject: { type: 'USER', id: user.id }, type: 'EXPORT' }, { email: user.email!, phone: user.phone! });
    await worker('exporter').drain();
    expect(await statusOf(id)).toBe('COMPLETED');

    const { privacyExport } = await gql(self, `{ privacyExport(requestId: "${id}") { schemaVersion sha256 document } }`);
    expect(privacyExport.sha256).toBe(createHash('sha256').update(privacyExport.document).digest('hex'));
    const text: string = privacyExport.document;
    // The oracle is the store itself: every row linked to the person, counted in SQL per table.
    const q = (store: 'accounts' | 'calls' | 'location', sql: string) => t.stack.stores[store].query(sql, [user.id]);
    const calls: { id: string }[] = await q('calls', 'SELECT id FROM call_logs WHERE userId = ?');
    const pings: { id: string }[] = await q('location', 'SELECT id FROM location_pings WHERE userId = ?');
    expect(calls.length).toBeGreaterThan(0);
    expect(pings.length).toBeGreaterThan(0);
    for (const row of [...calls, ...pings, { id: user.id }]) expect(text).toContain(row.id);
    expect(text).toContain(user.email!);
  });

  it('holds an export document for its retention period after completion, then the retention run deletes it and a read says EXPORT_EXPIRED', async () => {
    const user = members().find((u) => u.email && u.phone && u.status === 'ACTIVE' && t.demo.callLogs.some((c) => c.userId === u.id))!;
    const self = await t.tokenFor('MEMBER', { user: user.id });
    const id = await executed(self, { subject: { type: 'USER', id: user.id }, type: 'EXPORT' }, { email: user.email!, phone: user.phone! });
    await worker('exporter').drain();
    const completed = (await new PrivacyRequestStore(t.stack.stores.privacy).get(id))!;
    expect(completed.status).toBe('COMPLETED');
    const receipt = (await gql(self, `{ privacyExport(requestId: "${id}") { sha256 } }`)).privacyExport.sha256 as string;
    const parts = async () => (await t.stack.stores.privacy.query('SELECT COUNT(*) AS n FROM privacy_export_parts WHERE requestId = ?', [id]))[0].n;

    const retain = (daysAfter: number) =>
      runRetention({
        subgraphUrls: Object.fromEntries(DATA_SUBGRAPH_NAMES.map((name) => [name, t.stack.subgraphs[name].url])),
        internalSecret: loadSubgraphConfig().internalSecret,
        store: t.stack.stores.privacy,
        auditKey: DEV_AUDIT_KEY,
        exportRetentionDays: 30,
        now: () => new Date(completed.completedAt! + daysAfter * DAY_MS),
      });
    const expiredIn = (report: RetentionReport) => (report.ran ? report.tenants.find((r) => r.tenantId === tenant().id)!.exportsExpired : -1);

    // Day 29: still held, still readable, the same document.
    expect(expiredIn(await retain(29))).toBe(0);
    expect(Number(await parts())).toBeGreaterThan(0);
    expect((await gql(self, `{ privacyExport(requestId: "${id}") { sha256 } }`)).privacyExport.sha256).toBe(receipt);

    // Day 31: the document is deleted; the request and its receipt stay.
    expect(expiredIn(await retain(31))).toBeGreaterThanOrEqual(1);
    expect(Number(await parts())).toBe(0);
    const read = await t.query(`{ privacyExport(requestId: "${id}") { sha256 document } }`, { token: self });
    expect(read.body.errors?.[0]?.extensions?.code).toBe('EXPORT_EXPIRED');
    expect(JSON.stringify(read.body)).not.toContain(user.email!);
    const after = (await new PrivacyRequestStore(t.stack.stores.privacy).get(id))!;
    expect(after.status).toBe('COMPLETED');
    expect(JSON.parse(after.result!).sha256).toBe(receipt);
    // The run's audit record counts it; a second run at the same time finds nothing more.
    const records = (await new AuditLog(t.stack.stores.privacy, DEV_AUDIT_KEY).records(tenant().id)).filter((r) => r.action === 'RETENTION_RUN');
    expect(JSON.parse(records[records.length - 1]!.detail!).exportsExpired).toBeGreaterThanOrEqual(1);
    expect(expiredIn(await retain(31))).toBe(0);
  });

  it('erases a contact through a killed worker and a stopped subgraph: IN_PROGRESS until run again, then complete, with no residue', async () => {
    const owner = members()[1]!;
    const contact = t.demo.contacts.find((c) => c.tenantId === tenant().id && c.ownerId === owner.id && c.email && c.phone && t.demo.callLogs.filter((l) => l.contactId === c.id).length >= 2)!;
    const ownerToken = await t.tokenFor('MEMBER', { user: owner.id });
    const id = await executed(ownerToken, { subject: { type: 'CONTACT', id: contact.id }, type: 'ERASE' }, { email: contact.email!, phone: contact.phone! });

    // A worker takes a step and dies holding its lease (no stop, no release).
    const killed = worker('killed', 200);
    expect(await killed.runOnce()).toBe(true);
    expect(await statusOf(id)).toBe('IN_PROGRESS');

    // The calls subgraph goes down; another worker, once the lease has lapsed, does what it can.
    const port = Number(new URL(t.stack.subgraphs.calls.url).port);
    await t.stack.subgraphs.calls.close();
    await new Promise((resolve) => setTimeout(resolve, 250));
    await worker('second').drain();
    expect(await statusOf(id)).toBe('IN_PROGRESS');
    // The DPO sees why: the calls step waits with its attempts and error code, the others are done.
    const { privacyRequest } = await gql(await t.tokenFor('DPO'), `{ privacyRequest(id: "${id}") { status steps { subgraph status attempts lastError } } }`);
    const steps = privacyRequest.steps as { subgraph: string; status: string; attempts: number; lastError: string | null }[];
    expect(steps.some((s) => s.subgraph === 'calls' && s.status !== 'DONE' && s.attempts > 0 && s.lastError === 'UNAVAILABLE')).toBe(true);
    expect(steps.some((s) => s.subgraph === 'contacts' && s.status === 'DONE')).toBe(true);

    // The subgraph is back on its port: the next run completes the erasure.
    const config = loadSubgraphConfig();
    t.stack.subgraphs.calls = await startSubgraph(SUBGRAPHS.calls, {
      host: '127.0.0.1',
      port,
      dataSource: t.stack.stores.calls,
      privacyStore: t.stack.stores.privacy,
      internalSecret: config.internalSecret,
      introspection: false,
      bodyLimit: config.bodyLimit,
      pseudonymSecret: config.pseudonymSecret,
      auditKey: config.auditKey,
      privacyEnforcement: true,
      recordingsBaseUrl: config.recordingsBaseUrl,
    });
    await new Promise((resolve) => setTimeout(resolve, 350)); // the failed step's back-off
    await worker('third').drain();
    expect(await statusOf(id)).toBe('COMPLETED');

    // Nothing of the contact is left: no row, no call that names them, no word in the search index,
    // and the sweep over every personal column of every subgraph finds none of their former values.
    expect(await t.stack.stores.contacts.query('SELECT id FROM contacts WHERE id = ?', [contact.id])).toEqual([]);
    expect(await t.stack.stores.contacts.query('SELECT contactId FROM contact_search_tokens WHERE contactId = ?', [contact.id])).toEqual([]);
    expect(await t.stack.stores.calls.query('SELECT id FROM call_logs WHERE contactId = ?', [contact.id])).toEqual([]);
    const kept: { notes: string | null; counterpartyNumber: string | null }[] = await t.stack.stores.calls.query(
      `SELECT notes, counterpartyNumber FROM call_logs WHERE id IN (${t.demo.callLogs.filter((l) => l.contactId === contact.id).map(() => '?').join(', ')})`,
      t.demo.callLogs.filter((l) => l.contactId === contact.id).map((l) => l.id),
    );
    expect(kept.length).toBeGreaterThan(0);
    for (const call of kept) expect(call).toEqual({ notes: null, counterpartyNumber: null });
    expect(await sweepResidue(new PrivacyRequestStore(t.stack.stores.privacy), transport, id)).toEqual([]);

    // The same person added again is flagged by the suppression list (keyed hashes of the erased email and phone); someone new is not.
    const create = `mutation($input: NewContactInput!) { createContact(input: $input) { suppressed contact { id name email phone } } }`;
    const again = await gql(ownerToken, create, { input: { name: 'Re Imported', email: contact.email!.toUpperCase(), company: 'Acme' } });
    expect(again.createContact).toMatchObject({ suppressed: true, contact: { name: 'Re Imported', email: contact.email!.toUpperCase() } });
    const byPhone = await gql(ownerToken, create, { input: { name: 'By Phone', phone: contact.phone } });
    expect(byPhone.createContact.suppressed).toBe(true);
    const fresh = await gql(ownerToken, create, { input: { name: 'Someone New', email: 'someone.new@example.test' } });
    expect(fresh.createContact.suppressed).toBe(false);
  });

  it('refuses to add a contact for roles that are not the tenant’s users, and bad input, writing nothing', async () => {
    const create = `mutation($input: NewContactInput!) { createContact(input: $input) { suppressed contact { id } } }`;
    const count = async () => Number((await t.stack.stores.contacts.query('SELECT COUNT(*) AS n FROM contacts'))[0].n);
    const before = await count();
    for (const role of ['SUPPORT', 'DPO'] as const) {
      const res = await t.query(create, { token: await t.tokenFor(role), variables: { input: { name: 'Nobody' } } });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(res.status).toBe(403);
    }
    const member = await t.tokenFor('MEMBER', { user: members()[1]!.id });
    for (const input of [{ name: '' }, { name: 'A', email: 'not-an-email' }, { name: 'A', phone: '12' }, { name: 'A', birthDate: '2031-02-30' }, { name: 'A\u0000B' }]) {
      const res = await t.query(create, { token: member, variables: { input } });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await count()).toBe(before);
  });
});
