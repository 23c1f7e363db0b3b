import { DEV_INTERNAL_SECRET } from '../../platform/env';
import { CONTEXT_HEADER, ContextSigner } from '../../privacy/signed-context';
import { postGraphQL, startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let tokenA: string;

beforeAll(async () => {
  t = await startTestStack();
  tokenA = await t.tokenFor('ADMIN', { tenant: 0 });
});
afterAll(() => t.close());

describe('tenant isolation', () => {
  it('never returns another tenant’s rows by id', async () => {
    const b = t.demo.tenants[1]!.id;
    const user = t.demo.users.find((u) => u.tenantId === b)!;
    const contact = t.demo.contacts.find((c) => c.tenantId === b)!;
    const call = t.demo.callLogs.find((c) => c.tenantId === b)!;
    const res = await t.query('query($u: ID!, $c: ID!, $l: ID!) { user(id: $u) { id } contact(id: $c) { id } callLog(id: $l) { id } }', {
      token: tokenA,
      variables: { u: user.id, c: contact.id, l: call.id },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ user: null, contact: null, callLog: null });
  });

  it('never lists, searches or looks up by phone across tenants', async () => {
    const b = t.demo.tenants[1]!.id;
    const contactB = t.demo.contacts.find((c) => c.tenantId === b && c.phone)!;
    const res = await t.query(
      'query($q: String, $p: String!) { contacts(first: 100, search: $q) { totalCount } byPhone: contactByPhone(phone: $p) { id } users(first: 100) { nodes { id } } geofences(first: 100) { nodes { id } } }',
      { token: tokenA, variables: { q: contactB.name, p: contactB.phone } },
    );
    const aContactsNamedSo = t.demo.contacts.filter((c) => c.tenantId !== b && c.name.includes(contactB.name)).length;
    expect(res.body.data.contacts.totalCount).toBe(aContactsNamedSo);
    expect(res.body.data.byPhone).toBeNull();
    const tenantBIds = new Set([...t.demo.users, ...t.demo.geofences].filter((r) => r.tenantId === b).map((r) => r.id));
    for (const node of [...res.body.data.users.nodes, ...res.body.data.geofences.nodes]) expect(tenantBIds.has(node.id)).toBe(false);
  });

  it('resolves no foreign-tenant entity through _entities in any subgraph', async () => {
    const a = t.demo.tenants[0]!;
    const b = t.demo.tenants[1]!.id;
    const caller = { userId: t.demo.users[0]!.id, tenantId: a.id, role: 'ADMIN' as const, purpose: 'SERVICE' as const, requestId: 'iso' };
    const signer = new ContextSigner(DEV_INTERNAL_SECRET);
    const foreign = {
      user: t.demo.users.find((u) => u.tenantId === b)!.id,
      contact: t.demo.contacts.find((c) => c.tenantId === b)!.id,
      call: t.demo.callLogs.find((c) => c.tenantId === b)!.id,
      fence: t.demo.geofences.find((g) => g.tenantId === b)!.id,
      team: t.demo.teams.find((g) => g.tenantId === b)!.id,
    };
    const cases: [string, string, string][] = [
      ['accounts', `{ _entities(representations: [{ __typename: "User", id: "${foreign.user}" }, { __typename: "Team", id: "${foreign.team}" }, { __typename: "Tenant", id: "${b}" }]) { ... on User { id name } ... on Team { id } ... on Tenant { id } } }`, 'accounts'],
      ['contacts', `{ _entities(representations: [{ __typename: "Contact", id: "${foreign.contact}" }]) { ... on Contact { id name } } }`, 'contacts'],
      ['contacts', `{ _entities(representations: [{ __typename: "User", id: "${foreign.user}" }]) { ... on User { contacts(first: 5) { totalCount nodes { id } } } } }`, 'owned contacts'],
      ['calls', `{ _entities(representations: [{ __typename: "CallLog", id: "${foreign.call}" }]) { ... on CallLog { id notes } } }`, 'calls'],
      ['calls', `{ _entities(representations: [{ __typename: "Contact", id: "${foreign.contact}" }]) { ... on Contact { calls(first: 5) { totalCount } lastCall { id } } } }`, 'contact calls'],
      ['location', `{ _entities(representations: [{ __typename: "Geofence", id: "${foreign.fence}" }]) { ... on Geofence { id name } } }`, 'geofences'],
      ['location', `{ _entities(representations: [{ __typename: "User", id: "${foreign.user}" }]) { ... on User { lastLocation { latitude } locations(first: 5) { totalCount } } } }`, 'locations'],
    ];
    for (const [subgraph, query, label] of cases) {
      const context = await signer.sign(caller, subgraph);
      const res = await postGraphQL(t.stack.subgraphs[subgraph as 'accounts'].url, { query }, { [CONTEXT_HEADER]: context });
      expect({ label, errors: res.body.errors }).toEqual({ label, errors: undefined });
      for (const entity of res.body.data._entities) {
        if (entity === null) continue;
        // Stubs the subgraph extends resolve, but carry nothing of the other tenant.
        expect({ label, entity }).toEqual({
          label,
          entity: expect.objectContaining(
            entity.contacts ? { contacts: { totalCount: 0, nodes: [] } } : entity.calls ? { calls: { totalCount: 0 }, lastCall: null } : { lastLocation: null, locations: { totalCount: 0 } },
          ),
        });
      }
    }
  });

  it('a cursor from one tenant pages only the caller’s rows', async () => {
    const tokenB = await t.tokenFor('ADMIN', { tenant: 1 });
    const pageB = await t.query('{ users(first: 2) { pageInfo { endCursor } } }', { token: tokenB });
    const res = await t.query('query($after: String) { users(first: 100, after: $after) { nodes { id } } }', {
      token: tokenA,
      variables: { after: pageB.body.data.users.pageInfo.endCursor },
    });
    const tenantA = new Set(t.demo.users.filter((u) => u.tenantId === t.demo.tenants[0]!.id).map((u) => u.id));
    expect(res.body.data.users.nodes.every((n: { id: string }) => tenantA.has(n.id))).toBe(true);
  });
});
