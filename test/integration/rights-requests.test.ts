import { DEV_AUDIT_KEY, DEV_PSEUDONYM_SECRET } from '../../platform/env';
import { ProcessingControlStore } from '../../privacy/store/controls';
import { AuditLog } from '../../privacy/store/audit';
import { PrivacyRequestStore } from '../../privacy/rights/requests';
import { fakeWorld, type FakeRightsSubgraphs } from '../helpers/fake-rights';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let fake: FakeRightsSubgraphs;
const acme = () => t.demo.tenants[0]!;
const members = () => t.demo.users.filter((u) => u.tenantId === acme().id);
const REQUEST = 'id status rejectionReason type matchedDataPoints result steps { action status }';

beforeAll(async () => {
  fake = fakeWorld('pending', { type: 'USER', id: 'PERSON' }, { type: 'USER', id: 'OTHER' });
  // One person's requests in this file pass the default limit (5 in 30 days): the excessive-request test sets its own.
  t = await startTestStack({ rightsTransport: fake, rightsWorker: false, subgraph: { rightsMaxRequestsPer30Days: LIMIT } });
  const user = members()[1]!;
  for (const entities of Object.values(fake.data)) for (const e of entities) for (const r of e.rows) {
    r.tenantId = acme().id;
    if (r.subject.id === 'PERSON') r.subject.id = user.id;
  }
});
afterAll(() => t.close());

const LIMIT = 8;
const user = () => members()[1]!;
const tokens = async () => ({
  self: await t.tokenFor('MEMBER', { user: user().id }),
  colleague: await t.tokenFor('MEMBER', { user: members()[2]!.id }),
  admin: await t.tokenFor('ADMIN', { user: members()[0]!.id }),
  dpo: await t.tokenFor('DPO'),
  support: await t.tokenFor('SUPPORT'),
  otherAdmin: await t.tokenFor('ADMIN', { tenant: 1 }),
});
const code = (res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => res.body.errors?.[0]?.extensions?.code;
const submit = (token: string, input: Record<string, unknown>) => t.query(`mutation($input: PrivacyRequestInput!) { submitPrivacyRequest(input: $input) { ${REQUEST} } }`, { token, variables: { input } });
const act = (token: string, mutation: string, id: string, extra = '') => t.query(`mutation { ${mutation}(id: "${id}"${extra}) { ${REQUEST} } }`, { token });
const verify = (token: string, id: string, claims: Record<string, string>) => t.query(`mutation($id: ID!, $claims: IdentityClaimsInput!) { verifyPrivacyRequest(id: $id, claims: $claims) { ${REQUEST} } }`, { token, variables: { id, claims } });
const drain = async () => {
  const { createRightsWorker } = await import('../../privacy/rights/runtime');
  await createRightsWorker({ privacyStore: t.stack.stores.privacy, transport: fake, auditKey: DEV_AUDIT_KEY, pseudonymSecret: DEV_PSEUDONYM_SECRET }).drain();
};

async function approved(type: string, extra: Record<string, unknown> = {}) {
  const tk = await tokens();
  const res = await submit(tk.self, { subject: { type: 'USER', id: user().id }, type, ...extra });
  const id = res.body.data.submitPrivacyRequest.id as string;
  await verify(tk.admin, id, { email: 'asha@acme.test', phone: '+14155550101' });
  await act(tk.admin, 'approvePrivacyRequest', id);
  return id;
}

describe('rights workflow through the gateway', () => {
  it('takes an export from RECEIVED to COMPLETED, each transition by its role only, and delivers the document with its receipt', async () => {
    const tk = await tokens();
    expect(code(await submit(tk.colleague, { subject: { type: 'USER', id: user().id }, type: 'EXPORT' }))).toBe('FORBIDDEN');
    expect(code(await submit(tk.support, { subject: { type: 'USER', id: user().id }, type: 'EXPORT' }))).toBe('FORBIDDEN');
    const submitted = await submit(tk.self, { subject: { type: 'USER', id: user().id }, type: 'EXPORT' });
    expect(submitted.body.data.submitPrivacyRequest.status).toBe('RECEIVED');
    const id = submitted.body.data.submitPrivacyRequest.id;
    expect(code(await act(tk.admin, 'approvePrivacyRequest', id))).toBe('INVALID_TRANSITION');
    expect(code(await verify(tk.self, id, { email: 'asha@acme.test', phone: '+14155550101' }))).toBe('FORBIDDEN');
    const verified = await verify(tk.admin, id, { email: 'asha@acme.test', phone: '+14155550101' });
    expect(verified.body.data.verifyPrivacyRequest).toMatchObject({ status: 'VERIFIED', matchedDataPoints: ['email', 'phone'] });
    expect(code(await act(tk.dpo, 'approvePrivacyRequest', id))).toBe('FORBIDDEN');
    expect(code(await act(tk.otherAdmin, 'approvePrivacyRequest', id))).toBe('NOT_FOUND');
    expect((await act(tk.admin, 'approvePrivacyRequest', id)).body.data.approvePrivacyRequest.status).toBe('APPROVED');
    expect(code(await act(tk.admin, 'executePrivacyRequest', id))).toBe('FORBIDDEN');
    expect((await act(tk.dpo, 'executePrivacyRequest', id)).body.data.executePrivacyRequest.status).toBe('IN_PROGRESS');
    await drain();
    const read = await t.query(`{ privacyRequest(id: "${id}") { status } privacyExport(requestId: "${id}") { schemaVersion sha256 document } }`, { token: tk.self });
    expect(read.body.data.privacyRequest.status).toBe('COMPLETED');
    const exported = read.body.data.privacyExport;
    const document = JSON.parse(exported.document);
    expect(require('node:crypto').createHash('sha256').update(exported.document).digest('hex')).toBe(exported.sha256);
    // Every row of the subject in every fake subgraph appears, and no one else's.
    for (const [subgraph, entities] of Object.entries(fake.data))
      for (const e of entities) expect(document.data[subgraph][e.entity].map((r: { id: string }) => r.id).sort()).toEqual(e.rows.filter((r) => r.subject.id === user().id).map((r) => r.id).sort());
    expect(document.purposes.map((p: { purpose: string }) => p.purpose)).toContain('MARKETING');
    expect(document.recipients.map((r: { clientId: string }) => r.clientId).sort()).toEqual(['maps-app', 'marketplace-dialer']);
    expect(code(await t.query(`{ privacyExport(requestId: "${id}") { sha256 } }`, { token: tk.colleague }))).toBe('FORBIDDEN');
    expect((await t.query(`{ privacyRequest(id: "${id}") { id } }`, { token: tk.colleague })).body.data.privacyRequest).toBeNull();
  });

  it('rejects a request whose verification matches fewer than two data points', async () => {
    const tk = await tokens();
    const id = (await submit(tk.self, { subject: { type: 'USER', id: user().id }, type: 'ACCESS' })).body.data.submitPrivacyRequest.id;
    const res = await verify(tk.admin, id, { email: 'asha@acme.test', phone: '+10000000000' });
    expect(res.body.data.verifyPrivacyRequest).toMatchObject({ status: 'REJECTED', rejectionReason: 'VERIFICATION_FAILED' });
  });

  it('sets a restriction and an objection through requests', async () => {
    const tk = await tokens();
    for (const [type, extra] of [['RESTRICT', {}], ['OBJECT', { purpose: 'MARKETING' }]] as const) {
      const id = await approved(type, extra);
      await act(tk.dpo, 'executePrivacyRequest', id);
    }
    await drain();
    const controls = await new ProcessingControlStore(t.stack.stores.privacy).of(acme().id, { type: 'USER', id: user().id });
    expect(controls).toEqual(expect.arrayContaining([{ kind: 'RESTRICTION' }, { kind: 'OBJECTION', purpose: 'MARKETING' }]));

    // In force on the next request: the person's data is withheld, even from their ADMIN; lifted by a request.
    const read = () => t.query(`{ user(id: "${user().id}") { name email } }`, { token: tk.admin });
    const restricted = await read();
    expect(restricted.body.data.user).toEqual({ name: null, email: null });
    const lift = await approved('LIFT_RESTRICTION', {});
    await act(tk.dpo, 'executePrivacyRequest', lift);
    await drain();
    expect((await read()).body.data.user).toEqual({ name: user().name, email: user().email });
  });

  it('refuses bad input with BAD_USER_INPUT', async () => {
    const tk = await tokens();
    expect(code(await submit(tk.self, { subject: { type: 'USER', id: user().id }, type: 'OBJECT' }))).toBe('BAD_USER_INPUT');
    expect(code(await submit(tk.self, { subject: { type: 'USER', id: 'not-an-id' }, type: 'ACCESS' }))).toBe('BAD_USER_INPUT');
    expect(code(await act(tk.dpo, 'executePrivacyRequest', 'nope'))).toBe('BAD_USER_INPUT');
  });

  it('erases: the dry run query matches the erasure, the email is suppressed, the sweep finds no residue', async () => {
    const tk = await tokens();
    const id = await approved('ERASE');
    const dry = await t.query(`{ erasureDryRun(requestId: "${id}") { subgraph entity deleted anonymized values objects } }`, { token: tk.dpo });
    expect(code(await t.query(`{ erasureDryRun(requestId: "${id}") { subgraph } }`, { token: tk.self }))).toBe('FORBIDDEN');
    await act(tk.dpo, 'executePrivacyRequest', id);
    await drain();
    const request = await new PrivacyRequestStore(t.stack.stores.privacy).get(id);
    expect(request!.status).toBe('COMPLETED');
    const strip = (rows: any[]) => rows.map(({ subgraph, entity, deleted, anonymized, values, objects }) => ({ subgraph, entity, deleted, anonymized, values, objects })).sort((a, b) => (a.entity < b.entity ? -1 : 1));
    expect(strip(JSON.parse(request!.result!).erased)).toEqual(strip(dry.body.data.erasureDryRun));
    const { SuppressionList, suppressionKey } = await import('../../privacy/store/suppression');
    const suppression = new SuppressionList(t.stack.stores.privacy, suppressionKey(DEV_PSEUDONYM_SECRET));
    expect(await suppression.matches(acme().id, { email: 'ASHA@acme.test' })).toBe(true);
    expect(await suppression.matches(acme().id, { email: 'ben@acme.test' })).toBe(false);
    const { sweepResidue } = await import('../../scripts/rights-sweep');
    expect(await sweepResidue(new PrivacyRequestStore(t.stack.stores.privacy), fake, id)).toEqual([]);
  });

  it('rejects a manifestly excessive request', async () => {
    const tk = await tokens();
    const before = (await new PrivacyRequestStore(t.stack.stores.privacy).countSince(acme().id, { type: 'USER', id: user().id }, 0));
    let last;
    expect(before).toBeLessThan(LIMIT);
    for (let i = before; i <= LIMIT; i += 1) last = await submit(tk.self, { subject: { type: 'USER', id: user().id }, type: 'ACCESS' });
    expect(last!.body.data.submitPrivacyRequest).toMatchObject({ status: 'REJECTED', rejectionReason: 'MANIFESTLY_EXCESSIVE' });
  });

  it('writes every transition and step to the audit log, readable by the DPO and the tenant ADMIN only', async () => {
    const tk = await tokens();
    const q = `query($f: AuditFilter) { auditLog(filter: $f, first: 5) { nodes { action actorRole purpose detail } pageInfo { hasNextPage endCursor } } }`;
    const filter = { subject: { type: 'USER', id: user().id }, action: 'RIGHTS_STEP_DONE' };
    const dpo = await t.query(q, { token: tk.dpo, variables: { f: filter } });
    expect(dpo.body.data.auditLog.nodes.length).toBe(5);
    expect(dpo.body.data.auditLog.pageInfo.hasNextPage).toBe(true);
    expect(dpo.body.data.auditLog.nodes.every((n: { purpose: string; detail: string }) => n.purpose === 'RIGHTS_REQUEST' && !n.detail.includes('asha'))).toBe(true);
    const next = await t.query(`query($f: AuditFilter, $a: String) { auditLog(filter: $f, first: 5, after: $a) { nodes { action } } }`, { token: tk.dpo, variables: { f: filter, a: dpo.body.data.auditLog.pageInfo.endCursor } });
    expect(next.body.data.auditLog.nodes.length).toBeGreaterThan(0);
    expect(code(await t.query(`query($f: AuditFilter, $a: String) { auditLog(filter: $f, first: 5, after: $a) { nodes { action } } }`, { token: tk.admin, variables: { f: filter, a: dpo.body.data.auditLog.pageInfo.endCursor } }))).toBe('BAD_USER_INPUT');
    expect((await t.query(q, { token: tk.admin, variables: { f: filter } })).body.data.auditLog.nodes.length).toBe(5);
    expect((await t.query(q, { token: tk.otherAdmin, variables: { f: filter } })).body.data.auditLog.nodes).toEqual([]);
    expect(code(await t.query(q, { token: tk.self, variables: { f: filter } }))).toBe('FORBIDDEN');
    await expect(new AuditLog(t.stack.stores.privacy, DEV_AUDIT_KEY).verify(acme().id)).resolves.toMatchObject({ ok: true });
  });

  it('shows a user who saw their data, never another user’s log', async () => {
    const tk = await tokens();
    const support = await t.tokenFor('SUPPORT', { claims: { ticket: { id: 'T-1', reason: 'help', expiresAt: new Date(Date.now() + 3600_000).toISOString() } } });
    await t.query(`{ users(first: 50) { nodes { id name email } } }`, { token: support });
    const mine = await t.query('{ myDataAccessLog(first: 10) { nodes { actorRole purpose service fields { field effect count } } } }', { token: tk.self });
    expect(mine.body.data.myDataAccessLog.nodes[0]).toMatchObject({ actorRole: 'SUPPORT', purpose: 'SUPPORT', service: 'accounts' });
    expect(mine.body.data.myDataAccessLog.nodes[0].fields.map((f: { field: string }) => f.field)).toContain('User.email');
    const cursorless = await t.query('{ myDataAccessLog(first: 1) { pageInfo { endCursor } } }', { token: tk.self });
    const theirs = await t.query(`{ myDataAccessLog(first: 1, after: "${cursorless.body.data.myDataAccessLog.pageInfo.endCursor}") { nodes { actorRole } } }`, { token: tk.colleague });
    expect(code(theirs)).toBe('BAD_USER_INPUT');
    expect(code(await t.query('{ myDataAccessLog(first: 1) { nodes { actorRole } } }', { token: tk.support }))).toBe('FORBIDDEN');
  });
});
