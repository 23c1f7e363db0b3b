import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import type { Caller } from './caller';
import { PURPOSES, ROLES } from './policy';

/**
 * The gateway tells each subgraph who is calling with a short-lived JWS whose audience is that
 * subgraph and which covers the one operation it is sent with (a hash of its query, operation
 * name and variables). A subgraph trusts nothing else: a call without a valid signature, or whose
 * operation is not the signed one, or whose signature was already used, is refused — so neither
 * the subgraph ports nor a captured header can be used to run other queries.
 */
export const CONTEXT_HEADER = 'x-crm-context';
const ISSUER = 'crm-gateway';
const ALGORITHM = 'HS256';
/** Long enough for one fetch to reach its subgraph; a replayed header is refused anyway (jti). */
export const CONTEXT_TTL_SECONDS = 15;
/** Tolerated clock difference between the gateway and a subgraph host. */
const CLOCK_TOLERANCE_SECONDS = 5;

const callerClaims = z.object({
  userId: z.string().min(1),
  tenantId: z.string().min(1),
  role: z.enum(ROLES),
  teamId: z.string().optional(),
  partnerClientId: z.string().optional(),
  ticket: z.object({ id: z.string(), reason: z.string(), expiresAt: z.string() }).optional(),
  purpose: z.enum(PURPOSES),
  requestId: z.string().min(1),
  correlationId: z.string().optional(),
});

/** What a subgraph fetch executes: the exact body fields the subgraph will run. */
export interface SignedOperation {
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** JSON with object keys sorted, so both ends hash the same bytes whatever order keys arrived in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** SHA-256 over the query, the operation name and the variables (canonical JSON). */
export function operationHash(operation: SignedOperation): string {
  return createHash('sha256')
    .update(canonicalJson([operation.query ?? '', operation.operationName ?? null, operation.variables ?? {}]))
    .digest('base64url');
}

export class ContextSigner {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(caller: Caller, audience: string, operation: SignedOperation): Promise<string> {
    return new SignJWT({ caller, op: operationHash(operation) })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${CONTEXT_TTL_SECONDS}s`)
      .sign(this.key);
  }
}

export class InvalidContextError extends Error {}

/**
 * Remembers the ids of the contexts already accepted until they expire, so each is used once.
 * Bounded by the request rate times the lifetime; expired ids are swept as new ones arrive.
 */
class SeenContextIds {
  private readonly expiries = new Map<string, number>();
  private nextSweep = 0;

  /** False when the id was seen before (a replay). */
  claim(jti: string, expiresAt: number, now: number): boolean {
    if (now >= this.nextSweep) {
      for (const [id, expiry] of this.expiries) if (expiry < now) this.expiries.delete(id);
      this.nextSweep = now + 1000;
    }
    if (this.expiries.has(jti)) return false;
    this.expiries.set(jti, expiresAt);
    return true;
  }
}

export class ContextVerifier {
  private readonly key: Uint8Array;
  private readonly seen = new SeenContextIds();
  constructor(
    secret: string,
    private readonly audience: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /**
   * Returns the caller if the token is valid for this subgraph, covers `operation` and was not
   * used before; otherwise throws InvalidContextError without saying more than why.
   */
  async verify(token: string | undefined, operation: SignedOperation, now = Date.now()): Promise<Caller> {
    if (!token) throw new InvalidContextError('missing gateway context');
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: this.audience,
        maxTokenAge: `${CONTEXT_TTL_SECONDS}s`,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['jti', 'exp', 'iat'],
        currentDate: new Date(now),
      });
      if (payload.op !== operationHash(operation)) throw new InvalidContextError('gateway context signed for another operation');
      const parsed = callerClaims.safeParse(payload.caller);
      if (!parsed.success) throw new InvalidContextError('malformed gateway context');
      if (!this.seen.claim(payload.jti!, (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000, now)) throw new InvalidContextError('gateway context already used');
      return parsed.data;
    } catch (error) {
      if (error instanceof InvalidContextError) throw error;
      if (error instanceof joseErrors.JOSEError) throw new InvalidContextError(`invalid gateway context (${error.code})`);
      throw error;
    }
  }
}
