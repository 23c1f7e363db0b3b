import { SignJWT, generateKeyPair } from 'jose';
import { mintDevToken } from '../../gateway/dev-tokens';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let admin: string;
const acme = () => t.demo.tenants[0]!;
const northwind = () => t.demo.tenants[1]!;

beforeAll(async () => {
  t = await startTestStack();
  admin = await t.tokenFor('ADMIN');
});
afterAll(() => t.close());

const CALLER = '{ caller { role purpose partnerClientId ticket { id expiresAt } user { id } tenant { id } } }';
const codeOf = (res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => res.body.errors?.[0]?.extensions?.code;

describe('tokens', () => {
  it('carries role, tenant, user and declared purpose to every subgraph', async () => {
    const res = await t.query(CALLER, { token: await t.tokenFor('MEMBER'), headers: { 'x-purpose': 'ANALYTICS' } });
    expect(res.body.data.caller).toEqual({
      role: 'MEMBER',
      purpose: 'ANALYTICS',
      partnerClientId: null,
      ticket: null,
      user: { id: t.demo.users[0]!.id },
      tenant: { id: acme().id },
    });
  });

  it('refuses a token signed with another algorithm (RS256 where HS256 is expected)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ tenant: acme().id, role: 'ADMIN' })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject(t.demo.users[0]!.id)
      .setIssuer('crm-auth')
      .setAudience('crm-api')
      .setExpirationTime('5m')
      .sign(privateKey);
    const res = await t.query('{ me { id } }', { token });
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('refuses a token that is not valid yet, and one with unknown claims values', async () => {
    const user = t.demo.users[0]!;
    const future = await new SignJWT({ tenant: acme().id, role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('crm-auth')
      .setAudience('crm-api')
      .setNotBefore('10m')
      .setExpirationTime('20m')
      .sign(new TextEncoder().encode('dev-only-jwt-secret-change-me-0000000000'));
    const badRole = await mintDevToken({ sub: user.id, tenant: acme().id, role: 'ROOT' as 'ADMIN' });
    for (const token of [future, badRole]) {
      const res = await t.query('{ me { id } }', { token });
      expect(res.status).toBe(401);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    }
  });
});

describe('support tickets', () => {
  const ticket = (expiresAt: Date) => ({ id: 'T-42', reason: 'Customer cannot see call logs', expiresAt: expiresAt.toISOString() });

  it('is in force for SUPPORT until it expires', async () => {
    const live = await t.tokenFor('SUPPORT', { claims: { ticket: ticket(new Date(Date.now() + 3600_000)) } });
    const expired = await t.tokenFor('SUPPORT', { claims: { ticket: ticket(new Date(Date.now() - 1000)) } });
    expect((await t.query(CALLER, { token: live })).body.data.caller.ticket).toMatchObject({ id: 'T-42' });
    expect((await t.query(CALLER, { token: expired })).body.data.caller.ticket).toBeNull();
  });

  it('means nothing on a token of another role', async () => {
    const member = await t.tokenFor('MEMBER', { claims: { ticket: ticket(new Date(Date.now() + 3600_000)) } });
    expect((await t.query(CALLER, { token: member })).body.data.caller.ticket).toBeNull();
  });
});

describe('partner apps', () => {
  const partnerToken = (clientId: string, tenant = 0) => t.tokenFor('PARTNER', { tenant, claims: { partner: clientId } });

  it('lets a partner in only where its app is installed', async () => {
    const inAcme = await t.query(CALLER, { token: await partnerToken('marketplace-dialer') });
    expect(inAcme.body.errors).toBeUndefined();
    expect(inAcme.body.data.caller).toMatchObject({ role: 'PARTNER', partnerClientId: 'marketplace-dialer' });

    const inNorthwind = await t.query(CALLER, { token: await partnerToken('marketplace-dialer', 1) });
    expect(codeOf(inNorthwind)).toBe('PARTNER_NOT_INSTALLED');
    expect(inNorthwind.body.data?.caller ?? null).toBeNull();
  });

  it('refuses a PARTNER token that names no app', async () => {
    const res = await t.query(CALLER, { token: await t.tokenFor('PARTNER') });
    expect(res.status).toBe(401);
  });

  it('cuts access on the request after uninstall, and restores it on install', async () => {
    const token = await partnerToken('marketplace-dialer');
    const uninstall = await t.query('mutation { uninstallPartnerApp(clientId: "marketplace-dialer") }', { token: admin });
    expect(uninstall.body.data.uninstallPartnerApp).toBe(true);
    expect(codeOf(await t.query('{ contacts(first: 1) { totalCount } }', { token }))).toBe('PARTNER_NOT_INSTALLED');
    expect((await t.query('mutation { uninstallPartnerApp(clientId: "marketplace-dialer") }', { token: admin })).body.data.uninstallPartnerApp).toBe(false);

    const install = await t.query('mutation { installPartnerApp(clientId: "marketplace-dialer", scopes: ["profile"]) { clientId scopes installedBy { id } } }', { token: admin });
    expect(install.body.data.installPartnerApp).toEqual({ clientId: 'marketplace-dialer', scopes: ['profile'], installedBy: { id: t.demo.users[0]!.id } });
    expect((await t.query(CALLER, { token })).body.errors).toBeUndefined();

    const apps = await t.query('{ partnerApps { clientId installation { scopes } } }', { token: admin });
    expect(apps.body.data.partnerApps).toEqual(
      expect.arrayContaining([{ clientId: 'marketplace-dialer', installation: { scopes: ['profile'] } }]),
    );
  });

  it('is managed by the tenant ADMIN only, with registered apps and allowed scopes', async () => {
    const member = await t.tokenFor('MEMBER');
    expect(codeOf(await t.query('mutation { installPartnerApp(clientId: "maps-app") { clientId } }', { token: member }))).toBe('FORBIDDEN');
    expect(codeOf(await t.query('{ partnerApps { clientId } }', { token: member }))).toBe('FORBIDDEN');
    expect(codeOf(await t.query('mutation { installPartnerApp(clientId: "no-such-app") { clientId } }', { token: admin }))).toBe('NOT_FOUND');
    expect(codeOf(await t.query('mutation { installPartnerApp(clientId: "maps-app", scopes: ["contacts.full"]) { clientId } }', { token: admin }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.query('mutation { installPartnerApp(clientId: "Not A Client!") { clientId } }', { token: admin }))).toBe('BAD_USER_INPUT');
    // An installation in one tenant does nothing for another.
    const otherAdmin = await t.tokenFor('ADMIN', { tenant: 1 });
    const theirs = await t.query('{ partnerApps { clientId installation { scopes } } }', { token: otherAdmin });
    expect(theirs.body.data.partnerApps.every((a: { installation: unknown }) => a.installation === null)).toBe(true);
    expect(northwind().id).not.toBe(acme().id);
  });
});
