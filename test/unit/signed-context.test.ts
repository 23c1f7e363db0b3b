import { jwtVerify } from 'jose';
import type { Caller } from '../../privacy/caller';
import { CONTEXT_TTL_SECONDS, ContextSigner, ContextVerifier, InvalidContextError } from '../../privacy/signed-context';

const SECRET = 'unit-test-internal-secret-0000000000000';
const caller: Caller = { userId: 'u1', tenantId: 't1', role: 'MEMBER', purpose: 'SERVICE', requestId: 'r1' };
const operation = { query: 'query($id: ID!) { contact(id: $id) { name } }', variables: { id: 'c1' } };

describe('signed caller context', () => {
  it('carries the caller to the subgraph it was signed for', async () => {
    const token = await new ContextSigner(SECRET).sign(caller, 'calls', operation);
    expect(await new ContextVerifier(SECRET, 'calls').verify(token, operation)).toEqual(caller);
  });

  it('is refused by another subgraph, with another key, tampered, or missing', async () => {
    const token = await new ContextSigner(SECRET).sign(caller, 'calls', operation);
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), caller: { ...caller, role: 'ADMIN' } })).toString('base64url')}.${signature}`;
    await expect(new ContextVerifier(SECRET, 'accounts').verify(token, operation)).rejects.toBeInstanceOf(InvalidContextError);
    await expect(new ContextVerifier(`${SECRET}x`, 'calls').verify(token, operation)).rejects.toBeInstanceOf(InvalidContextError);
    await expect(new ContextVerifier(SECRET, 'calls').verify(tampered, operation)).rejects.toBeInstanceOf(InvalidContextError);
    await expect(new ContextVerifier(SECRET, 'calls').verify(undefined, operation)).rejects.toBeInstanceOf(InvalidContextError);
  });

  it('covers the operation: another query, other variables or another operation name are refused', async () => {
    const token = await new ContextSigner(SECRET).sign(caller, 'calls', operation);
    const verifier = () => new ContextVerifier(SECRET, 'calls');
    await expect(verifier().verify(token, { ...operation, query: '{ contacts(first: 100) { nodes { name } } }' })).rejects.toThrow(/another operation/);
    await expect(verifier().verify(token, { ...operation, variables: { id: 'c2' } })).rejects.toThrow(/another operation/);
    await expect(verifier().verify(token, { ...operation, operationName: 'Other' })).rejects.toThrow(/another operation/);
    // Key order of the variables is not part of what was signed.
    const nested = { query: operation.query, variables: { a: 1, b: { y: 2, x: 3 } } };
    const signed = await new ContextSigner(SECRET).sign(caller, 'calls', nested);
    expect(await verifier().verify(signed, { query: nested.query, variables: { b: { x: 3, y: 2 }, a: 1 } })).toEqual(caller);
  });

  it('is accepted once: a replayed header is refused', async () => {
    const verifier = new ContextVerifier(SECRET, 'calls');
    const token = await new ContextSigner(SECRET).sign(caller, 'calls', operation);
    await verifier.verify(token, operation);
    await expect(verifier.verify(token, operation)).rejects.toThrow(/already used/);
  });

  it(`lives ${CONTEXT_TTL_SECONDS} seconds`, async () => {
    const token = await new ContextSigner(SECRET).sign(caller, 'calls', operation);
    const later = Date.now() + (CONTEXT_TTL_SECONDS + 10) * 1000;
    await expect(new ContextVerifier(SECRET, 'calls').verify(token, operation, later)).rejects.toBeInstanceOf(InvalidContextError);
    expect(CONTEXT_TTL_SECONDS).toBeLessThanOrEqual(15);
  });

  it('is a standard HS256 JWS that any JOSE library verifies with the shared key', async () => {
    const token = await new ContextSigner(SECRET).sign(caller, 'calls', operation);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: 'crm-gateway', audience: 'calls', algorithms: ['HS256'] });
    expect(protectedHeader).toEqual({ alg: 'HS256' });
    expect(payload.caller).toEqual(caller);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(CONTEXT_TTL_SECONDS);
  });

  it('refuses an unsigned token, another header, and one issued in the future', async () => {
    const token = await new ContextSigner(SECRET).sign(caller, 'calls', operation);
    const [, payload] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    await expect(new ContextVerifier(SECRET, 'calls').verify(none, operation)).rejects.toThrow(/ERR_JWS_INVALID/);
    const otherHeader = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${token.split('.').slice(1).join('.')}`;
    await expect(new ContextVerifier(SECRET, 'calls').verify(otherHeader, operation)).rejects.toBeInstanceOf(InvalidContextError);
    const future = new ContextSigner(SECRET).signNow(caller, 'calls', operation, Date.now() + 60_000);
    await expect(new ContextVerifier(SECRET, 'calls').verify(future, operation)).rejects.toThrow(/ERR_JWT_EXPIRED/);
    // Still good just before the end of its life (clock tolerance aside), refused after.
    const issued = Date.now();
    const fresh = new ContextSigner(SECRET).signNow(caller, 'calls', operation, issued);
    await expect(new ContextVerifier(SECRET, 'calls').verify(fresh, operation, issued + (CONTEXT_TTL_SECONDS - 1) * 1000)).resolves.toEqual(caller);
    const stale = new ContextSigner(SECRET).signNow(caller, 'calls', operation, issued);
    await expect(new ContextVerifier(SECRET, 'calls').verify(stale, operation, issued + (CONTEXT_TTL_SECONDS + 6) * 1000)).rejects.toThrow(/ERR_JWT_EXPIRED/);
  });
});
