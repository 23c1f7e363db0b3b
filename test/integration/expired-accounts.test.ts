import { DEV_AUDIT_KEY } from '../../platform/env';
import type { PrivacyExtension } from '../../privacy/enforcement/notices';
import { AuditLog } from '../../privacy/store/audit';
import type { UserRow } from '../../subgraphs/accounts/entities';
import { hiddenValues } from '../helpers/privacy';
import { startTestStack, type TestStack } from '../helpers/stack';

/**
 * A closed account is expired until retention purges it: only the user (to export it) and the DPO
 * read it — in values, in lists and their order, and through links from other subgraphs.
 */
let t: TestStack;
const PROFILE = 'id name email phone title timezone language status';
const tenantUsers = () => t.demo.users.filter((u) => u.tenantId === t.demo.tenants[0]!.id);
let closed: UserRow;

beforeAll(async () => {
  t = await startTestStack();
  closed = tenantUsers().find((u) => u.status === 'CLOSED')!;
});
afterAll(() => t.close());

describe('an expired (closed) account', () => {
  it('is read in full by the user themselves and by the DPO', async () => {
    const self = await t.tokenFor('MEMBER', { user: closed.id });
    const me = await t.query(`{ me { ${PROFILE} } }`, { token: self });
    expect(me.body.data.me).toMatchObject({ id: closed.id, name: closed.name, email: closed.email, phone: closed.phone, status: 'CLOSED' });
    for (const purpose of ['RIGHTS_REQUEST', 'LEGAL']) {
      const dpo = await t.query(`{ user(id: "${closed.id}") { ${PROFILE} } }`, { token: await t.tokenFor('DPO'), headers: { 'x-purpose': purpose } });
      expect(dpo.body.data.user).toMatchObject({ name: closed.name, email: closed.email });
    }
  });

  it('is withheld from its ADMIN, a colleague of its team and support with a ticket', async () => {
    const ticket = { id: 'T-9', reason: 'help', expiresAt: new Date(Date.now() + 3600_000).toISOString() };
    const teammate = tenantUsers().find((u) => u.teamId === closed.teamId && u.id !== closed.id && u.status === 'ACTIVE')!;
    const callers = [
      await t.tokenFor('ADMIN'),
      await t.tokenFor('MEMBER', { user: teammate.id }),
      await t.tokenFor('SUPPORT', { claims: { ticket } }),
    ];
    for (const token of callers) {
      const res = await t.query(`{ user(id: "${closed.id}") { ${PROFILE} } }`, { token });
      expect(res.body.data.user).toEqual({ id: closed.id, name: null, email: null, phone: null, title: null, timezone: null, language: null, status: 'CLOSED' });
      expect(hiddenValues(res.body.extensions?.privacy as PrivacyExtension).filter((h) => h.reason === 'ACCOUNT_EXPIRED').length).toBe(6);
    }
  });

  it('comes after the accounts whose names the caller sees, in an order of no meaning, and counts as a row', async () => {
    const admin = await t.tokenFor('ADMIN');
    const res = await t.query('{ users(first: 100) { totalCount nodes { id name } } }', { token: admin });
    const nodes: { id: string; name: string | null }[] = res.body.data.users.nodes;
    expect(res.body.data.users.totalCount).toBe(tenantUsers().length);
    expect(nodes.map((n) => n.id).sort()).toEqual(tenantUsers().map((u) => u.id).sort());
    const shown = nodes.filter((n) => n.name !== null);
    expect(nodes.slice(0, shown.length)).toEqual(shown);
    expect(nodes[nodes.length - 1]).toEqual({ id: closed.id, name: null });
    const team = await t.query(`{ user(id: "${tenantUsers().find((u) => u.teamId === closed.teamId && u.status === 'ACTIVE')!.id}") { team { members(first: 20) { totalCount nodes { id name } } } } }`, { token: admin });
    const members: { id: string; name: string | null }[] = team.body.data.user.team.members.nodes;
    expect(members[members.length - 1]).toEqual({ id: closed.id, name: null });
  });

  it('is withheld through a link from another subgraph (a contact it owned)', async () => {
    const owned = t.demo.contacts.find((c) => c.ownerId === closed.id);
    if (!owned) throw new Error('the demo data gives every user contacts');
    const res = await t.query(`{ contact(id: "${owned.id}") { owner { id name email } } }`, { token: await t.tokenFor('ADMIN') });
    expect(res.body.data.contact.owner).toEqual({ id: closed.id, name: null, email: null });
  });

  it("withholds the account's calls and whereabouts in the other subgraphs too, from everyone but the user and the DPO", async () => {
    const calls = t.demo.callLogs.filter((c) => c.userId === closed.id);
    expect(calls.length).toBeGreaterThan(0);
    const ACTIVITY = `{ user(id: "${closed.id}") { calls(first: 5) { totalCount nodes { id durationSeconds } } locations(first: 5) { totalCount } lastLocation { latitude } } }`;
    const activity = async (token: string, headers: Record<string, string> = {}) => (await t.query(ACTIVITY, { token, headers })).body.data.user;

    const self = await activity(await t.tokenFor('MEMBER', { user: closed.id }));
    expect(self.calls.totalCount).toBe(calls.length);
    expect(self.calls.nodes.length).toBe(Math.min(5, calls.length));
    const dpo = await activity(await t.tokenFor('DPO'), { 'x-purpose': 'LEGAL' });
    expect(dpo.calls.totalCount).toBe(calls.length);

    // An ADMIN, who sees a colleague's activity otherwise: listed through the call's link to its
    // user, which is withheld, there is no row, no count and no last position.
    const admin = await t.tokenFor('ADMIN');
    expect(await activity(admin)).toEqual({ calls: { totalCount: 0, nodes: [] }, locations: { totalCount: 0 }, lastLocation: null });
    // Read by id, the call shows nothing of its user's activity, and says why.
    const one = await t.query(`{ callLog(id: "${calls[0]!.id}") { id durationSeconds startedAt user { id } } }`, { token: admin });
    expect(one.body.data.callLog).toEqual({ id: calls[0]!.id, durationSeconds: null, startedAt: null, user: null });
    expect(hiddenValues(one.body.extensions?.privacy as PrivacyExtension).map((h) => h.reason)).toEqual(['ACCOUNT_EXPIRED', 'ACCOUNT_EXPIRED', 'ACCOUNT_EXPIRED']);
    // A contact's calls with the account are left out of the contact's list too.
    const called = calls.find((c) => c.contactId)!;
    const contactCalls = await t.query(`{ contact(id: "${called.contactId}") { calls(first: 100) { totalCount nodes { id } } } }`, { token: admin });
    const ofContact = t.demo.callLogs.filter((c) => c.contactId === called.contactId);
    const fromOpenAccounts = ofContact.filter((c) => c.userId !== closed.id).map((c) => c.id).sort();
    expect(fromOpenAccounts.length).toBeLessThan(ofContact.length);
    expect(contactCalls.body.data.contact.calls.totalCount).toBe(fromOpenAccounts.length);
    expect((contactCalls.body.data.contact.calls.nodes as { id: string }[]).map((n) => n.id).sort()).toEqual(fromOpenAccounts);
    // The same call of an open account is the ADMIN's to read.
    const open = t.demo.callLogs.find((c) => c.tenantId === closed.tenantId && tenantUsers().some((u) => u.id === c.userId && u.status === 'ACTIVE'))!;
    const shown = await t.query(`{ callLog(id: "${open.id}") { durationSeconds user { id } } }`, { token: admin });
    expect(shown.body.data.callLog).toEqual({ durationSeconds: open.durationSeconds, user: { id: open.userId } });
  });
});

describe('closing, suspending and reactivating an account', () => {
  it('lets a user close their own account, then only they (and the DPO) read it; audited', async () => {
    const user = tenantUsers().filter((u) => u.status === 'ACTIVE')[3]!;
    const self = await t.tokenFor('MEMBER', { user: user.id });
    const audit = new AuditLog(t.stack.stores.privacy, DEV_AUDIT_KEY);
    const before = (await audit.records(user.tenantId)).length;
    const res = await t.query(`mutation { closeAccount(id: "${user.id}") }`, { token: self });
    expect(res.body).toEqual({ data: { closeAccount: 'CLOSED' } });
    const [record] = (await audit.records(user.tenantId)).slice(before);
    expect(record).toMatchObject({ action: 'ACCOUNT_CLOSE', actorId: user.id, service: 'accounts' });
    expect(JSON.parse(record!.detail)).toEqual({ from: 'ACTIVE', to: 'CLOSED' });
    expect(await audit.subjectsOf(record!.id)).toEqual([{ type: 'USER', id: user.id }]);

    expect((await t.query('{ me { name } }', { token: self })).body.data.me.name).toBe(user.name);
    expect((await t.query(`{ user(id: "${user.id}") { name } }`, { token: await t.tokenFor('ADMIN') })).body.data.user.name).toBeNull();
    // At once in the other subgraphs too: the calls subgraph lists none of the account's calls to the ADMIN.
    const ownCalls = t.demo.callLogs.filter((c) => c.userId === user.id).length;
    expect(ownCalls).toBeGreaterThan(0);
    const listed = async (token: string) => (await t.query(`{ user(id: "${user.id}") { calls(first: 1) { totalCount } } }`, { token })).body.data.user.calls.totalCount;
    expect(await listed(await t.tokenFor('ADMIN'))).toBe(0);
    expect(await listed(self)).toBe(ownCalls);
    const again = await t.query(`mutation { closeAccount(id: "${user.id}") }`, { token: self });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("refuses a member closing someone else's account and anyone but an ADMIN suspending", async () => {
    const [a, b] = tenantUsers().filter((u) => u.status === 'ACTIVE');
    const member = await t.tokenFor('MEMBER', { user: a!.id });
    for (const op of ['closeAccount', 'suspendAccount']) {
      const res = await t.query(`mutation { ${op}(id: "${b!.id}") }`, { token: member });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const dpo = await t.query(`mutation { suspendAccount(id: "${b!.id}") }`, { token: await t.tokenFor('DPO') });
    expect(dpo.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const foreign = t.demo.users.find((u) => u.tenantId !== a!.tenantId)!;
    const res = await t.query(`mutation { suspendAccount(id: "${foreign.id}") }`, { token: await t.tokenFor('ADMIN') });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lets an ADMIN suspend and reactivate an account', async () => {
    const user = tenantUsers().filter((u) => u.status === 'ACTIVE')[4]!;
    const admin = await t.tokenFor('ADMIN');
    expect((await t.query(`mutation { suspendAccount(id: "${user.id}") }`, { token: admin })).body.data).toEqual({ suspendAccount: 'SUSPENDED' });
    expect((await t.query(`{ user(id: "${user.id}") { name status } }`, { token: admin })).body.data.user).toEqual({ name: user.name, status: 'SUSPENDED' });
    expect((await t.query(`mutation { reactivateAccount(id: "${user.id}") }`, { token: admin })).body.data).toEqual({ reactivateAccount: 'ACTIVE' });
    expect((await t.query(`mutation { reactivateAccount(id: "${user.id}") }`, { token: admin })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
