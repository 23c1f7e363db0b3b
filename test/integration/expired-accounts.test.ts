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
