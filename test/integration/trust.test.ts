import { SignJWT } from 'jose';
import { mintDevToken } from '../../gateway/dev-tokens';
import { DEV_INTERNAL_SECRET } from '../../platform/env';
import type { Caller } from '../../privacy/caller';
import { CONTEXT_HEADER, ContextSigner } from '../../privacy/signed-context';
import { SUBGRAPH_NAMES } from '../../subgraphs/shared/subgraph';
import { postGraphQL, startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let caller: Caller;

beforeAll(async () => {
  t = await startTestStack();
  const user = t.demo.users[0]!;
  caller = { userId: user.id, tenantId: user.tenantId, role: 'ADMIN', purpose: 'SERVICE', requestId: 'test-request' };
});
afterAll(() => t.close());

const ENTITIES = '{ _service { sdl } }';

describe('gateway authentication', () => {
  it('answers { __typename } without credentials and nothing else', async () => {
    const anonymous = await t.query('{ __typename }');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.data).toEqual({ __typename: 'Query' });

    const me = await t.query('{ me { id } }');
    expect(me.status).toBe(401);
    expect(me.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(me.body.data).toBeUndefined();
  });

  it.each([
    ['garbage', 'Bearer not.a.jwt'],
    ['wrong scheme', 'Basic dXNlcjpwYXNz'],
  ])('refuses a %s authorization header with 401 and does not echo it', async (_kind, header) => {
    const res = await t.query('{ me { id } }', { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(res.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(res.body)).not.toContain(header.split(' ')[1]!);
  });

  it('refuses expired, wrong-audience and wrongly signed tokens', async () => {
    const claims = { sub: caller.userId, tenant: caller.tenantId, role: 'ADMIN' as const };
    const expired = await mintDevToken(claims, { expiresIn: '-1m' });
    const wrongAudience = await mintDevToken(claims, { audience: 'someone-else' });
    const wrongKey = await mintDevToken(claims, { secret: 'another-secret-that-is-long-enough-000000' });
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claims, iss: 'crm-auth', aud: 'crm-api', exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url')}.`;
    for (const token of [expired, wrongAudience, wrongKey, unsigned]) {
      const res = await t.query('{ me { id } }', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expect(res.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(res.body)).not.toContain(token);
    }
  });

  it('ignores a client-sent internal context header: the caller is the token’s', async () => {
    const otherTenantUser = t.demo.users.find((u) => u.tenantId !== caller.tenantId)!;
    const forged = await new ContextSigner(DEV_INTERNAL_SECRET).sign(
      { ...caller, userId: otherTenantUser.id, tenantId: otherTenantUser.tenantId },
      'accounts',
      { query: '{ me { id } }' },
    );
    const token = await t.tokenFor('ADMIN');
    const res = await t.query('{ me { id } }', { token, headers: { [CONTEXT_HEADER]: forged } });
    expect(res.body.data.me.id).toBe(t.demo.users[0]!.id);
  });
});

describe('subgraphs answer only the gateway', () => {
  it.each(SUBGRAPH_NAMES)('%s refuses a call without a signed context with 401', async (name) => {
    const res = await postGraphQL(t.stack.subgraphs[name].url, { query: ENTITIES });
    expect(res.status).toBe(401);
    expect(res.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it.each(SUBGRAPH_NAMES)('%s refuses forged, expired and wrong-audience contexts', async (name) => {
    const forged = await new ContextSigner('an-attacker-secret-that-is-long-enough-00').sign(caller, name, { query: ENTITIES });
    const wrongAudience = await new ContextSigner(DEV_INTERNAL_SECRET).sign(caller, name === 'accounts' ? 'contacts' : 'accounts', { query: ENTITIES });
    const expired = await new SignJWT({ caller })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('crm-gateway')
      .setAudience(name)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 540)
      .sign(new TextEncoder().encode(DEV_INTERNAL_SECRET));
    for (const context of [forged, wrongAudience, expired]) {
      const res = await postGraphQL(t.stack.subgraphs[name].url, { query: ENTITIES }, { [CONTEXT_HEADER]: context });
      expect(res.status).toBe(401);
    }
  });

  it.each(SUBGRAPH_NAMES)('%s answers a correctly signed context', async (name) => {
    const context = await new ContextSigner(DEV_INTERNAL_SECRET).sign(caller, name, { query: ENTITIES });
    const res = await postGraphQL(t.stack.subgraphs[name].url, { query: ENTITIES }, { [CONTEXT_HEADER]: context });
    expect(res.status).toBe(200);
    expect(res.body.data._service.sdl).toContain('type Query');
  });

  it('keeps subgraph health checks open to probes', async () => {
    const response = await fetch(t.stack.subgraphs.contacts.url.replace(/graphql$/, 'health'));
    expect(response.status).toBe(200);
  });
});
