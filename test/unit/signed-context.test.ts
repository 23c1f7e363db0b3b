import type { Caller } from '../../privacy/caller';
import { ContextSigner, ContextVerifier, InvalidContextError } from '../../privacy/signed-context';

const SECRET = 'unit-test-internal-secret-0000000000000';
const caller: Caller = { userId: 'u1', tenantId: 't1', role: 'MEMBER', purpose: 'SERVICE', requestId: 'r1' };

describe('signed caller context', () => {
  it('carries the caller to the subgraph it was signed for', async () => {
    const token = await new ContextSigner(SECRET).sign(caller, 'calls');
    expect(await new ContextVerifier(SECRET, 'calls').verify(token)).toEqual(caller);
  });

  it('is refused by another subgraph, with another key, tampered, or missing', async () => {
    const token = await new ContextSigner(SECRET).sign(caller, 'calls');
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), caller: { ...caller, role: 'ADMIN' } })).toString('base64url')}.${signature}`;
    await expect(new ContextVerifier(SECRET, 'accounts').verify(token)).rejects.toBeInstanceOf(InvalidContextError);
    await expect(new ContextVerifier(`${SECRET}x`, 'calls').verify(token)).rejects.toBeInstanceOf(InvalidContextError);
    await expect(new ContextVerifier(SECRET, 'calls').verify(tampered)).rejects.toBeInstanceOf(InvalidContextError);
    await expect(new ContextVerifier(SECRET, 'calls').verify(undefined)).rejects.toBeInstanceOf(InvalidContextError);
  });
});
