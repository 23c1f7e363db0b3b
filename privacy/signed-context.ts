import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import type { Caller } from './caller';
import { PURPOSES, ROLES } from './policy';

/**
 * The gateway tells each subgraph who is calling with a short-lived JWS whose audience is that
 * subgraph. A subgraph trusts nothing else: a call without a valid signature is refused, so the
 * subgraph ports cannot be used to bypass the gateway.
 */
export const CONTEXT_HEADER = 'x-crm-context';
const ISSUER = 'crm-gateway';
const ALGORITHM = 'HS256';
export const CONTEXT_TTL_SECONDS = 60;

const callerClaims = z.object({
  userId: z.string().min(1),
  tenantId: z.string().min(1),
  role: z.enum(ROLES),
  teamId: z.string().optional(),
  partnerClientId: z.string().optional(),
  ticket: z.object({ id: z.string(), reason: z.string(), expiresAt: z.string() }).optional(),
  purpose: z.enum(PURPOSES),
  requestId: z.string().min(1),
});

export class ContextSigner {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(caller: Caller, audience: string): Promise<string> {
    return new SignJWT({ caller })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${CONTEXT_TTL_SECONDS}s`)
      .sign(this.key);
  }
}

export class InvalidContextError extends Error {}

export class ContextVerifier {
  private readonly key: Uint8Array;
  constructor(
    secret: string,
    private readonly audience: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Returns the caller, or throws InvalidContextError without saying more than why. */
  async verify(token: string | undefined): Promise<Caller> {
    if (!token) throw new InvalidContextError('missing gateway context');
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: this.audience,
        maxTokenAge: `${CONTEXT_TTL_SECONDS}s`,
      });
      const parsed = callerClaims.safeParse(payload.caller);
      if (!parsed.success) throw new InvalidContextError('malformed gateway context');
      return parsed.data;
    } catch (error) {
      if (error instanceof InvalidContextError) throw error;
      if (error instanceof joseErrors.JOSEError) throw new InvalidContextError(`invalid gateway context (${error.code})`);
      throw error;
    }
  }
}
