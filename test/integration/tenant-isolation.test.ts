import fs from 'node:fs';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { DEV_INTERNAL_SECRET } from '../../platform/env';
import { CONTEXT_HEADER, ContextSigner } from '../../privacy/signed-context';
import { DEFAULT_SUPERGRAPH_PATH } from '../../schema';
import { PrivacyRequestStore } from '../../privacy/rights/requests';
import type { SubgraphName } from '../../subgraphs/shared/subgraph';
import { postGraphQL, startTestStack, type TestStack } from '../helpers/stack';

/**
 * Every root field and every entity type of every subgraph is tried by a caller of tenant A
 * against tenant B's data. The lists below are checked against the supergraph, so a new root
 * field or entity cannot be added without a case here.
 */
let t: TestStack;
let tokenA: string;
const A = () => t.demo.tenants[0]!.id;
const B = () => t.demo.tenants[1]!.id;
const ofB = <T extends { tenantId: string }>(rows: T[]) => rows.find((r) => r.tenantId === B())!;
/** A privacy request of tenant B (an erasure of one of its users), made once. */
let requestOfB: string | undefined;
const privacyRequestOfB = async (): Promise<string> => {
  if (requestOfB) return requestOfB;
  const user = ofB(t.demo.users);
  const now = Date.now();
  const row = await new PrivacyRequestStore(t.stack.stores.privacy).create({
    tenantId: B(), subjectType: 'USER', subjectId: user.id, type: 'ERASE', purpose: null, status: 'COMPLETED', rejectionReason: null,
    requestedBy: user.id, requestedByRole: 'MEMBER', verifiedBy: null, approvedBy: null, executedBy: null, corrections: null, verification: null,
    fingerprints: null, result: null, receivedAt: now, dueAt: now, updatedAt: now, completedAt: now,
  });
  return (requestOfB = row.id);
};

beforeAll(async () => {
  t = await startTestStack();
  tokenA = await t.tokenFor('ADMIN', { tenant: 0 });
});
afterAll(() => t.close());

const ask = async (query: string, variables?: Record<string, unknown>) => {
  const res = await t.query(query, { token: tokenA, variables });
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
};
const idsOfB = () => new Set([...t.demo.users, ...t.demo.contacts, ...t.demo.callLogs, ...t.demo.geofences, ...t.demo.teams].filter((r) => r.tenantId === B()).map((r) => r.id));

const ROOT_FIELD_CASES: Record<string, () => Promise<void>> = {
  caller: async () => expect((await ask('{ caller { tenant { id } } }')).caller.tenant.id).toBe(A()),
  me: async () => expect((await ask('{ me { tenant { id } } }')).me.tenant.id).toBe(A()),
  tenant: async () => expect((await ask('{ tenant { id teams { id } } }')).tenant.teams.every((team: { id: string }) => !idsOfB().has(team.id))).toBe(true),
  user: async () => expect((await ask('query($id: ID!) { user(id: $id) { id } }', { id: ofB(t.demo.users).id })).user).toBeNull(),
  users: async () => {
    const nodes = (await ask('{ users(first: 100) { nodes { id } } }')).users.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.some((n: { id: string }) => idsOfB().has(n.id))).toBe(false);
  },
  partnerApps: async () => {
    // Tenant B has installed nothing; A's view never shows B's installations (and vice versa).
    const tokenB = await t.tokenFor('ADMIN', { tenant: 1 });
    const res = await t.query('{ partnerApps { installation { clientId } } }', { token: tokenB });
    expect(res.body.data.partnerApps.every((a: { installation: unknown }) => a.installation === null)).toBe(true);
  },
  contact: async () => expect((await ask('query($id: ID!) { contact(id: $id) { id } }', { id: ofB(t.demo.contacts).id })).contact).toBeNull(),
  contacts: async () => {
    const contactB = ofB(t.demo.contacts);
    const found = (await ask('query($q: String) { contacts(first: 100, search: $q) { nodes { id } } }', { q: contactB.name })).contacts.nodes;
    expect(found.some((n: { id: string }) => idsOfB().has(n.id))).toBe(false);
  },
  contactByPhone: async () => {
    const contactB = t.demo.contacts.find((c) => c.tenantId === B() && c.phone)!;
    expect((await ask('query($p: String!) { contactByPhone(phone: $p) { id } }', { p: contactB.phone })).contactByPhone).toBeNull();
  },
  callLog: async () => expect((await ask('query($id: ID!) { callLog(id: $id) { id } }', { id: ofB(t.demo.callLogs).id })).callLog).toBeNull(),
  consents: async () => {
    const res = await t.query('query($id: ID!) { consents(subject: { type: CONTACT, id: $id }) { history { purpose } } }', { token: tokenA, variables: { id: ofB(t.demo.contacts).id } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(res.body.data ?? null)).not.toContain('GRANTED');
  },
  privacyRequest: async () => expect((await ask('query($id: ID!) { privacyRequest(id: $id) { id } }', { id: await privacyRequestOfB() })).privacyRequest).toBeNull(),
  privacyRequests: async () => {
    const id = await privacyRequestOfB();
    const nodes = (await ask('{ privacyRequests(first: 100) { nodes { id tenantId } } }')).privacyRequests.nodes;
    expect(nodes.some((n: { id: string; tenantId: string }) => n.id === id || n.tenantId === B())).toBe(false);
  },
  erasureDryRun: async () => {
    const res = await t.query('query($id: ID!) { erasureDryRun(requestId: $id) { entity } }', { token: tokenA, variables: { id: await privacyRequestOfB() } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  },
  privacyExport: async () => expect((await ask('query($id: ID!) { privacyExport(requestId: $id) { sha256 } }', { id: await privacyRequestOfB() })).privacyExport).toBeNull(),
  auditLog: async () => {
    // An ADMIN asking for tenant B's chain still reads only their own tenant's.
    const nodes = (await ask('query($b: ID) { auditLog(filter: { tenantId: $b }, first: 100) { nodes { tenantId } } }', { b: B() })).auditLog.nodes;
    expect(nodes.every((n: { tenantId: string }) => n.tenantId === A())).toBe(true);
  },
  myDataAccessLog: async () => {
    const nodes = (await ask('{ myDataAccessLog(first: 100) { nodes { actorId service } } }')).myDataAccessLog.nodes;
    const idsOfBUsers = new Set(t.demo.users.filter((u) => u.tenantId === B()).map((u) => u.id));
    expect(nodes.some((n: { actorId: string }) => idsOfBUsers.has(n.actorId))).toBe(false);
  },
  geofences: async () => {
    const nodes = (await ask('{ geofences(first: 100) { nodes { id } } }')).geofences.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.some((n: { id: string }) => idsOfB().has(n.id))).toBe(false);
  },
};

/** `_entities` straight at each subgraph (as the gateway would send it), with tenant A's signed context. */
const ENTITY_CASES: Record<string, { subgraph: SubgraphName; query: () => string; expectEmpty: (entity: any) => void }> = {
  'accounts:User': { subgraph: 'accounts', query: () => rep('User', ofB(t.demo.users).id, '... on User { id name email }'), expectEmpty: (e) => expect(e).toBeNull() },
  'accounts:Team': { subgraph: 'accounts', query: () => rep('Team', ofB(t.demo.teams).id, '... on Team { id name }'), expectEmpty: (e) => expect(e).toBeNull() },
  'accounts:Tenant': { subgraph: 'accounts', query: () => rep('Tenant', B(), '... on Tenant { id name }'), expectEmpty: (e) => expect(e).toBeNull() },
  'contacts:Contact': { subgraph: 'contacts', query: () => rep('Contact', ofB(t.demo.contacts).id, '... on Contact { id name phone }'), expectEmpty: (e) => expect(e).toBeNull() },
  'contacts:User': {
    subgraph: 'contacts',
    query: () => rep('User', ofB(t.demo.users).id, '... on User { contacts(first: 5) { totalCount nodes { id } } }'),
    expectEmpty: (e) => expect(e?.contacts ?? { totalCount: 0, nodes: [] }).toEqual({ totalCount: 0, nodes: [] }),
  },
  'calls:CallLog': { subgraph: 'calls', query: () => rep('CallLog', ofB(t.demo.callLogs).id, '... on CallLog { id notes }'), expectEmpty: (e) => expect(e).toBeNull() },
  'calls:Contact': {
    subgraph: 'calls',
    query: () => rep('Contact', ofB(t.demo.contacts).id, '... on Contact { calls(first: 5) { totalCount } lastCall { id } }'),
    expectEmpty: (e) => expect(e === null || (e.calls.totalCount === 0 && e.lastCall === null)).toBe(true),
  },
  'calls:User': {
    subgraph: 'calls',
    query: () => rep('User', ofB(t.demo.users).id, '... on User { calls(first: 5) { totalCount nodes { id } } }'),
    expectEmpty: (e) => expect(e === null || e.calls.totalCount === 0).toBe(true),
  },
  'privacy:PrivacyRequest': { subgraph: 'privacy', query: () => `{ _entities(representations: [{ __typename: "PrivacyRequest", id: "${requestOfB}" }]) { ... on PrivacyRequest { id status } } }`, expectEmpty: (e) => expect(e).toBeNull() },
  'location:Geofence': { subgraph: 'location', query: () => rep('Geofence', ofB(t.demo.geofences).id, '... on Geofence { id name latitude }'), expectEmpty: (e) => expect(e).toBeNull() },
  'location:User': {
    subgraph: 'location',
    query: () => rep('User', ofB(t.demo.users).id, '... on User { lastLocation { latitude } locations(first: 5) { totalCount } }'),
    expectEmpty: (e) => expect(e === null || (e.lastLocation === null && e.locations.totalCount === 0)).toBe(true),
  },
};

function rep(typename: string, id: string, selection: string): string {
  return `{ _entities(representations: [{ __typename: "${typename}", id: "${id}" }]) { ${selection} } }`;
}

/** Root fields and (subgraph, entity type) pairs declared in the supergraph. */
function supergraphSurface(): { rootFields: string[]; entities: string[] } {
  const doc = parse(fs.readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8'));
  const types = doc.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);
  const rootFields = types.find((d) => d.name.value === 'Query')!.fields!.map((f) => f.name.value);
  const entities: string[] = [];
  for (const type of types) {
    for (const directive of type.directives ?? []) {
      const args = Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, a.value]));
      const resolvable = args.resolvable?.kind !== Kind.BOOLEAN || args.resolvable.value;
      if (directive.name.value === 'join__type' && args.key && resolvable && args.graph?.kind === Kind.ENUM) {
        entities.push(`${args.graph.value.toLowerCase()}:${type.name.value}`);
      }
    }
  }
  return { rootFields, entities };
}

describe('tenant isolation', () => {
  it('has a case for every root field and every resolvable entity of the supergraph', () => {
    const surface = supergraphSurface();
    expect(Object.keys(ROOT_FIELD_CASES).sort()).toEqual(surface.rootFields.sort());
    expect(Object.keys(ENTITY_CASES).sort()).toEqual(surface.entities.sort());
  });

  it.each(Object.keys(ROOT_FIELD_CASES))('Query.%s shows tenant A nothing of tenant B', async (field) => {
    await ROOT_FIELD_CASES[field]!();
  });

  it.each(Object.keys(ENTITY_CASES))('_entities %s resolves nothing of tenant B', async (key) => {
    const { subgraph, query, expectEmpty } = ENTITY_CASES[key]!;
    const user = t.demo.users[0]!;
    const operation = { query: query() };
    const context = await new ContextSigner(DEV_INTERNAL_SECRET).sign({ userId: user.id, tenantId: A(), role: 'ADMIN', purpose: 'SERVICE', requestId: 'isolation' }, subgraph, operation);
    const res = await postGraphQL(t.stack.subgraphs[subgraph].url, operation, { [CONTEXT_HEADER]: context });
    expect(res.body.errors).toBeUndefined();
    expectEmpty(res.body.data._entities[0]);
  });

  it('a cursor taken in tenant B does not open in tenant A', async () => {
    const tokenB = await t.tokenFor('ADMIN', { tenant: 1 });
    const pageB = await t.query('{ users(first: 2) { pageInfo { endCursor } } }', { token: tokenB });
    const res = await t.query('query($after: String) { users(first: 100, after: $after) { nodes { id } } }', { token: await t.tokenFor('ADMIN'), variables: { after: pageB.body.data.users.pageInfo.endCursor } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.body.data ?? null)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
  });
});
