import { SignJWT, exportSPKI, generateKeyPair, type KeyLike } from 'jose';
import type { GatewayConfig } from '../../gateway/config';
import { isEmpty } from '../../seed/load';
import { startStack } from '../../stack';
import { createTestDatabase } from '../helpers/database';
import { postGraphQL, startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let token: string;

beforeAll(async () => {
  t = await startTestStack({ gateway: { limits: { maxDepth: 8, maxAliases: 5, maxCost: 3000, maxOperations: 3, maxTokens: 2000, maxDirectives: 10 }, bodyLimit: "20kb" } });
  token = await t.tokenFor('ADMIN');
});
afterAll(() => t.close());

const codeOf = (res: { body: any }) => (Array.isArray(res.body) ? res.body[0]?.errors?.[0] : res.body.errors?.[0])?.extensions?.code;

describe('operation limits', () => {
  it('refuses a query deeper than the limit', async () => {
    const deep = '{ me { contacts(first: 1) { nodes { owner { contacts(first: 1) { nodes { owner { team { tenant { name } } } } } } } } } }';
    const res = await t.query(deep, { token });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('QUERY_TOO_DEEP');
  });

  it('counts depth through fragments', async () => {
    const viaFragments = 'query { me { ...A } } fragment A on User { contacts(first: 1) { nodes { owner { ...B } } } } fragment B on User { contacts(first: 1) { nodes { owner { team { tenant { name } } } } } }';
    expect(codeOf(await t.query(viaFragments, { token }))).toBe('QUERY_TOO_DEEP');
  });

  it('refuses too many aliases', async () => {
    const aliased = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect(codeOf(await t.query(aliased, { token }))).toBe('TOO_MANY_ALIASES');
  });

  it('multiplies the cost of list fields by first', async () => {
    const cheap = await t.query('{ contacts(first: 20) { nodes { name calls(first: 5) { nodes { startedAt } } } } }', { token });
    expect(cheap.body.errors).toBeUndefined();
    const costly = await t.query('{ contacts(first: 100) { nodes { name calls(first: 50) { nodes { startedAt } } } } }', { token });
    expect(codeOf(costly)).toBe('QUERY_TOO_COSTLY');
    const viaVariables = await t.query('query($n: Int) { contacts(first: $n) { nodes { calls(first: $n) { nodes { id } } } } }', { token, variables: { n: 100 } });
    expect(codeOf(viaVariables)).toBe('QUERY_TOO_COSTLY');
  });

  it('caps operations per batched request', async () => {
    const op = { query: '{ me { id } }' };
    const ok = await postGraphQL(t.gatewayUrl, [op, op], { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect((ok.body as unknown as unknown[]).length).toBe(2);
    const tooMany = await postGraphQL(t.gatewayUrl, [op, op, op, op], { authorization: `Bearer ${token}` });
    expect(tooMany.status).toBe(400);
    expect(codeOf(tooMany)).toBe('TOO_MANY_OPERATIONS');
  });

  it('refuses a body over the size limit and a body that is not JSON', async () => {
    const big = await t.query(`{ me { id } } # ${'x'.repeat(30_000)}`, { token });
    expect(big.status).toBe(413);
    expect(codeOf(big)).toBe('PAYLOAD_TOO_LARGE');
    const response = await fetch(t.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('prevents CSRF: a simple cross-site GET is refused', async () => {
    const response = await fetch(`${t.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });
});

describe('caching', () => {
  it('tells every cache not to keep a GraphQL answer, at the gateway and at a subgraph', async () => {
    const answered = await fetch(t.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(t.stack.subgraphs.contacts.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});

describe('production mode', () => {
  let prod: TestStack;
  let prodGateway: Partial<GatewayConfig>;
  let privateKey: KeyLike;

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256', { extractable: true });
    privateKey = keys.privateKey as KeyLike;
    prodGateway = { production: true, jwt: { key: { kind: 'pem', pem: await exportSPKI(keys.publicKey) }, algorithms: ['RS256'], issuer: 'crm-auth', audience: 'crm-api' } };
    prod = await startTestStack({ gateway: prodGateway });
  });
  afterAll(() => prod.close());

  const sign = (claims: Record<string, unknown>, alg = 'RS256', key: KeyLike | Uint8Array = privateKey) =>
    new SignJWT(claims).setProtectedHeader({ alg }).setSubject(prod.demo.users[0]!.id).setIssuer('crm-auth').setAudience('crm-api').setExpirationTime('5m').sign(key);

  it('accepts RS256 tokens from the configured key and refuses HS256 ones', async () => {
    const good = await sign({ tenant: prod.demo.tenants[0]!.id, role: 'ADMIN' });
    expect((await prod.query('{ me { id } }', { token: good })).body.data.me.id).toBe(prod.demo.users[0]!.id);
    const hs = await sign({ tenant: prod.demo.tenants[0]!.id, role: 'ADMIN' }, 'HS256', new TextEncoder().encode('dev-only-jwt-secret-change-me-0000000000'));
    expect((await prod.query('{ me { id } }', { token: hs })).status).toBe(401);
  });

  it('has no caller switcher and no development token endpoint, even with the playground enabled', async () => {
    const root = prod.gatewayUrl.replace(/\/graphql$/, '/');
    const page = await fetch(root, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('{"development":false}');
    const token = await fetch(root + 'dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'acme', role: 'ADMIN' }) });
    expect(token.status).toBe(404);
    expect((await fetch(root + 'dev/personas')).status).toBe(404);
  });

  it('never loads the demo data into an empty production store', async () => {
    const database = await createTestDatabase();
    const ports = { accounts: 0, contacts: 0, calls: 0, location: 0, privacy: 0 };
    const stack = await startStack({ subgraph: { databaseUrl: database.url, host: '127.0.0.1', ports }, gateway: { ...prodGateway, host: '127.0.0.1', port: 0 } });
    try {
      expect(await isEmpty(stack.stores.accounts)).toBe(true);
    } finally {
      await stack.close();
      await database.drop();
    }
  });

  it('turns introspection off', async () => {
    const good = await sign({ tenant: prod.demo.tenants[0]!.id, role: 'ADMIN' });
    const res = await prod.query('{ __schema { types { name } } }', { token: good });
    expect(codeOf(res)).toBe('INTROSPECTION_DISABLED');
  });
});
