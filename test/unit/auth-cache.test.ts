import { SignJWT } from 'jose';
import { Authenticator } from '../../gateway/auth';

const SECRET = 'unit-test-jwt-secret-000000000000000000';
const options = { key: { kind: 'secret' as const, secret: SECRET }, algorithms: ['HS256'], issuer: 'crm-auth', audience: 'crm-api' };
const claims = { tenant: '0e9b6a52-5f4d-4e8a-bb1e-2d8f9c3a7b61', role: 'MEMBER' };

const mint = (exp: number, extra: Record<string, unknown> = {}) =>
  new SignJWT({ ...claims, ...extra })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('6f1c8c1e-2b1a-4c53-9a41-0c7d3f2e1a10')
    .setIssuer('crm-auth')
    .setAudience('crm-api')
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(SECRET));

afterEach(() => jest.useRealTimers());

describe('a token verified before', () => {
  it('is taken again without a new signature check only until it expires', async () => {
    const start = Date.now();
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const auth = await Authenticator.create(options);
    const token = await mint(Math.floor(start / 1000) + 10);
    expect(await auth.authenticate(`Bearer ${token}`)).toMatchObject({ role: 'MEMBER' });
    expect(await auth.authenticate(`Bearer ${token}`)).toMatchObject({ role: 'MEMBER' });
    jest.setSystemTime(start + 11_000);
    await expect(auth.authenticate(`Bearer ${token}`)).rejects.toThrow(/expired/);
  });

  it('is never another token: one changed byte is checked, and refused', async () => {
    const auth = await Authenticator.create(options);
    const token = await mint(Math.floor(Date.now() / 1000) + 60);
    await auth.authenticate(`Bearer ${token}`);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
    forged.role = 'ADMIN';
    await expect(auth.authenticate(`Bearer ${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`)).rejects.toThrow(/signature/);
  });

  it('is checked again after a while, so a key that stopped counting stops its tokens', async () => {
    const start = Date.now();
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const auth = await Authenticator.create(options);
    const token = await mint(Math.floor(start / 1000) + 3600);
    await auth.authenticate(`Bearer ${token}`);
    // Same token, a verifier with another key: refused at once (nothing is shared between instances)…
    const rotated = await Authenticator.create({ ...options, key: { kind: 'secret', secret: `${SECRET}-rotated` } });
    await expect(rotated.authenticate(`Bearer ${token}`)).rejects.toThrow(/signature/);
    // …and the first one re-checks the signature once its memory of the token is 30 s old.
    const spy = jest.spyOn(auth as unknown as { verify: (t: string) => Promise<unknown> }, 'verify');
    await auth.authenticate(`Bearer ${token}`);
    expect(spy).not.toHaveBeenCalled();
    jest.setSystemTime(start + 31_000);
    await auth.authenticate(`Bearer ${token}`);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
