import { createHash } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair, type KeyLike } from 'jose';
import { DEV_AUDIT_KEY, DEV_INTERNAL_SECRET, DEV_JWT_SECRET } from '../../platform/env';
import { AuditLog } from '../../privacy/store/audit';
import { CONTEXT_HEADER, ContextSigner } from '../../privacy/signed-context';
import { postGraphQL, startTestStack, type GraphQLResponse, type TestStack } from '../helpers/stack';

let t: TestStack;
let admin: string;

beforeAll(async () => {
  t = await startTestStack({ gateway: { limits: { maxDepth: 8, maxAliases: 20, maxCost: 10000, maxOperations: 3, maxTokens: 500, maxDirectives: 4 } } });
  admin = await t.tokenFor('ADMIN');
});
afterAll(() => t.close());

const codeOf = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions?.code;
const healthUrl = () => t.gatewayUrl.replace(/\/graphql$/, '/health');

describe('anonymous requests', () => {
  it('refuses a 200 KB anonymous query with UNAUTHENTICATED while /health keeps answering', async () => {
    const huge = `{ ${'me { id name team { name } } '.repeat(7000)} }`;
    expect(huge.length).toBeGreaterThan(200_000);
    const started = Date.now();
    const [health, ...refused] = await Promise.all([
      fetch(healthUrl()),
      ...Array.from({ length: 8 }, () => postGraphQL(t.gatewayUrl, { query: huge })),
    ]);
    expect(health.status).toBe(200);
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    }
    // Eight such bodies are refused after a few dozen tokens each, not after parsing and validating them.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers { __typename } only, and refuses anything else without a token', async () => {
    const typename = await postGraphQL(t.gatewayUrl, { query: '{ __typename }' });
    expect(typename.status).toBe(200);
    expect(typename.body.data).toEqual({ __typename: 'Query' });
    const longButSmall = `{ ${'__typename '.repeat(200)} }`; // under the anonymous body cap, past its token limit
    for (const query of ['{ me { id } }', '{ __schema { types { name } } }', '{ __typename me { id } }', 'mutation { __typename }', 'query { nope }', longButSmall]) {
      const res = await postGraphQL(t.gatewayUrl, { query });
      expect(res.status).toBe(401);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(res.body)).not.toMatch(/Did you mean/);
    }
  });
});

describe('limits before validation', () => {
  it('stops the parser at MAX_TOKENS with QUERY_TOO_LARGE', async () => {
    const res = await t.query(`{ ${'me { id } '.repeat(200)} }`, { token: admin });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('QUERY_TOO_LARGE');
  });

  it('counts the aliases of a fragment each time it is spread', async () => {
    const fragment = `fragment F on User { ${Array.from({ length: 5 }, (_, i) => `n${i}: name`).join(' ')} }`;
    const spreads = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `u${i}: me { ...F }`).join(' ')} } ${fragment}`;
    // 3 spreads: 3 + 15 = 18 aliases, within 20; 4 spreads: 4 + 20 = 24.
    expect((await t.query(spreads(3), { token: admin })).body.errors).toBeUndefined();
    const tooMany = await t.query(spreads(4), { token: admin });
    expect(tooMany.status).toBe(400);
    expect(codeOf(tooMany)).toBe('TOO_MANY_ALIASES');
    const nested = `{ me { ...A } } fragment A on User { ...B ...B ...B } fragment B on User { ${Array.from({ length: 8 }, (_, i) => `b${i}: id`).join(' ')} }`;
    expect(codeOf(await t.query(nested, { token: admin }))).toBe('TOO_MANY_ALIASES');
  });

  it('counts depth through named and inline fragments', async () => {
    const viaFragments = '{ me { ...A } } fragment A on User { contacts(first: 1) { nodes { owner { ... on User { team { tenant { name } } contacts(first: 1) { nodes { owner { team { name } } } } } } } } }';
    const res = await t.query(viaFragments, { token: admin });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('QUERY_TOO_DEEP');
  });

  it('limits directives, counted through fragments', async () => {
    const res = await t.query('query($y: Boolean!) { me { ...F ...F } } fragment F on User { id @include(if: $y) name @include(if: $y) email @skip(if: false) }', { token: admin, variables: { y: true } });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('TOO_MANY_DIRECTIVES');
  });

  it('leaves development introspection as it was: allowed, and not counted against the depth limit', async () => {
    const res = await t.query('{ __schema { queryType { fields { name type { ofType { ofType { ofType { name } } } } } } } }', { token: admin });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.__schema.queryType.fields.length).toBeGreaterThan(3);
  });
});

describe('client mistakes get the status of the README’s error table', () => {
  it('an unknown x-purpose is 400 BAD_USER_INPUT; a purpose the role may not use is 403', async () => {
    const unknown = await t.query('{ me { id } }', { token: admin, headers: { 'x-purpose': 'CURIOSITY' } });
    expect([unknown.status, codeOf(unknown)]).toEqual([400, 'BAD_USER_INPUT']);
    const notAllowed = await t.query('{ me { id } }', { token: await t.tokenFor('MEMBER'), headers: { 'x-purpose': 'LEGAL' } });
    expect([notAllowed.status, codeOf(notAllowed)]).toEqual([403, 'PURPOSE_NOT_ALLOWED']);
  });

  it('an unknown operationName or several operations without one is 400 OPERATION_RESOLUTION_FAILURE', async () => {
    const unknown = await postGraphQL(t.gatewayUrl, { query: 'query A { me { id } }', operationName: 'B' }, { authorization: `Bearer ${admin}` });
    expect([unknown.status, codeOf(unknown)]).toEqual([400, 'OPERATION_RESOLUTION_FAILURE']);
    const several = await t.query('{ me { id } } { tenant { name } }', { token: admin });
    expect([several.status, codeOf(several)]).toEqual([400, 'OPERATION_RESOLUTION_FAILURE']);
    const none = await t.query('fragment F on User { id }', { token: admin });
    expect([none.status, codeOf(none)]).toEqual([400, 'OPERATION_RESOLUTION_FAILURE']);
    const named = await postGraphQL(t.gatewayUrl, { query: 'query A { me { id } } query B { tenant { name } }', operationName: 'B' }, { authorization: `Bearer ${admin}` });
    expect(named.status).toBe(200);
    expect(named.body.data.tenant.name).toBeTruthy();
  });

  it('a subscription is 400 BAD_REQUEST', async () => {
    const res = await t.query('subscription { me { id } }', { token: admin });
    expect([res.status, codeOf(res)]).toEqual([400, 'BAD_REQUEST']);
  });

  it('a persisted-query hash that does not match its query is 400 PERSISTED_QUERY_HASH_MISMATCH', async () => {
    const query = '{ me { id } }';
    const bad = await postGraphQL(t.gatewayUrl, { query, extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }, { authorization: `Bearer ${admin}` });
    expect([bad.status, codeOf(bad)]).toEqual([400, 'PERSISTED_QUERY_HASH_MISMATCH']);
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const good = await postGraphQL(t.gatewayUrl, { query, extensions: { persistedQuery: { version: 1, sha256Hash } } }, { authorization: `Bearer ${admin}` });
    expect(good.status).toBe(200);
    expect(good.body.data.me.id).toBeTruthy();
  });

  it('FORBIDDEN and PARTNER_NOT_INSTALLED are HTTP 403', async () => {
    const member = await t.tokenFor('MEMBER');
    const forbidden = await t.query('mutation { installPartnerApp(clientId: "maps-app") { clientId } }', { token: member });
    expect([forbidden.status, codeOf(forbidden)]).toEqual([403, 'FORBIDDEN']);
    const partner = await t.tokenFor('PARTNER', { tenant: 1, claims: { partner: 'marketplace-dialer' } });
    const notInstalled = await t.query('{ me { name } }', { token: partner });
    expect([notInstalled.status, codeOf(notInstalled)]).toEqual([403, 'PARTNER_NOT_INSTALLED']);
  });
});

describe('tokens', () => {
  const user = () => t.demo.users[0]!;
  const signed = (iat: number) =>
    new SignJWT({ tenant: user().tenantId, role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user().id)
      .setIssuer('crm-auth')
      .setAudience('crm-api')
      .setIssuedAt(iat)
      .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
      .sign(new TextEncoder().encode(DEV_JWT_SECRET));

  it('refuses a token issued in the future, past a small clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    const future = await t.query('{ me { id } }', { token: await signed(now + 600) });
    expect([future.status, codeOf(future)]).toEqual([401, 'UNAUTHENTICATED']);
    const skewed = await t.query('{ me { id } }', { token: await signed(now + 20) });
    expect(skewed.body.data.me.id).toBe(user().id);
  });
});

describe('request ids', () => {
  it('are the gateway’s own; a client x-request-id is kept only as the correlation id', async () => {
    const support = await t.tokenFor('SUPPORT');
    const audit = new AuditLog(t.stack.stores.privacy, DEV_AUDIT_KEY);
    const tenantId = t.demo.tenants[0]!.id;
    const before = (await audit.records(tenantId)).length;
    const ask = () => fetch(t.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${support}`, 'x-request-id': 'client-chosen-id' }, body: JSON.stringify({ query: '{ contacts(first: 2) { nodes { name } } }' }) });
    const answers = [await ask(), await ask()];
    const ids = answers.map((a) => a.headers.get('x-request-id'));
    expect(ids[0]).not.toBe('client-chosen-id');
    expect(ids[0]).not.toBe(ids[1]);
    const records = (await audit.records(tenantId)).slice(before);
    expect(records.map((r) => r.requestId).sort()).toEqual([...ids].sort());
    expect(records.every((r) => r.correlationId === 'client-chosen-id')).toBe(true);
  });
});

describe('the signed gateway context', () => {
  it('runs only the operation it was signed for, once', async () => {
    const caller = { userId: t.demo.users[0]!.id, tenantId: t.demo.tenants[0]!.id, role: 'ADMIN' as const, purpose: 'SERVICE' as const, requestId: 'edge' };
    const signedFor = { query: '{ _service { sdl } }' };
    const header = await new ContextSigner(DEV_INTERNAL_SECRET).sign(caller, 'contacts', signedFor);
    const other = await postGraphQL(t.stack.subgraphs.contacts.url, { query: '{ contacts(first: 100) { nodes { name email } } }' }, { [CONTEXT_HEADER]: header });
    expect([other.status, codeOf(other)]).toEqual([401, 'UNAUTHENTICATED']);
    const first = await postGraphQL(t.stack.subgraphs.contacts.url, signedFor, { [CONTEXT_HEADER]: header });
    expect(first.status).toBe(200);
    const replay = await postGraphQL(t.stack.subgraphs.contacts.url, signedFor, { [CONTEXT_HEADER]: header });
    expect([replay.status, codeOf(replay)]).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('production', () => {
  let prod: TestStack;
  let privateKey: KeyLike;
  let token: string;

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256', { extractable: true });
    privateKey = keys.privateKey as KeyLike;
    prod = await startTestStack({ gateway: { production: true, jwt: { key: { kind: 'pem', pem: await exportSPKI(keys.publicKey) }, algorithms: ['RS256'], issuer: 'crm-auth', audience: 'crm-api' } } });
    token = await new SignJWT({ tenant: prod.demo.tenants[0]!.id, role: 'ADMIN' }).setProtectedHeader({ alg: 'RS256' }).setSubject(prod.demo.users[0]!.id).setIssuer('crm-auth').setAudience('crm-api').setExpirationTime('5m').sign(privateKey);
  });
  afterAll(() => prod.close());

  it.each([
    ['a named fragment', '{ me { id } ...F } fragment F on Query { __schema { types { name } } }'],
    ['an inline fragment', '{ ... on Query { __schema { queryType { name } } } }'],
    ['@include', '{ __type(name: "Contact") @include(if: true) { fields { name } } }'],
    ['a nested field', '{ me { id } __type(name: "User") { name } }'],
  ])('refuses introspection inside %s', async (_label, query) => {
    const res = await prod.query(query, { token });
    expect([res.status, codeOf(res)]).toEqual([400, 'INTROSPECTION_DISABLED']);
    expect(JSON.stringify(res.body)).not.toContain('Contact');
  });

  it('suggests no field names in errors', async () => {
    const res = await prod.query('{ contactz { id } }', { token });
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toMatch(/Did you mean|contacts/);
  });
});

describe('documents that passed the checks', () => {
  it('are not parsed again when sent again; refused ones are checked every time', async () => {
    // graphql's index re-exports parse through a getter: spy where it is defined.
    const parser = await import('graphql/language/parser');
    const parse = jest.spyOn(parser, 'parse');
    try {
      const query = '{ me { id name team { name } } }';
      expect((await t.query(query, { token: admin })).body.errors).toBeUndefined();
      parse.mockClear();
      // The same text again: neither the edge checks nor Apollo (its document cache) parse it.
      expect((await t.query(query, { token: admin })).body.errors).toBeUndefined();
      expect(parse).not.toHaveBeenCalled();
      // Another operation name makes it another document to check.
      expect((await t.query('query Named { me { id } }', { token: admin })).body.errors).toBeUndefined();
      expect(parse).toHaveBeenCalled();
      // A refusal is never remembered as a pass.
      const deep = '{ me { contacts(first: 1) { nodes { owner { contacts(first: 1) { nodes { owner { team { tenant { name } } } } } } } } } }';
      for (let i = 0; i < 2; i += 1) expect(codeOf(await t.query(deep, { token: admin }))).toBe('QUERY_TOO_DEEP');
    } finally {
      parse.mockRestore();
    }
  });
});
