import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Caller } from './caller';
import { PURPOSES, ROLES } from './policy';

/**
 * The gateway tells each subgraph who is calling with a short-lived JWS whose audience is that
 * subgraph and which covers the one operation it is sent with (a hash of its query, operation
 * name and variables). A subgraph trusts nothing else: a call without a valid signature, or whose
 * operation is not the signed one, or whose signature was already used, is refused — so neither
 * the subgraph ports nor a captured header can be used to run other queries.
 *
 * The token is a compact JWS (HS256) as any JOSE library writes and reads it, signed and checked
 * here with node:crypto's HMAC directly: one fixed header, the claims below, checked in full.
 * (Through jose's WebCrypto path each signature cost about 140 µs and each check about 200 µs,
 * on every subgraph fetch; an HMAC over a few hundred bytes costs a few µs.)
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

/** The one header this format uses; a token with any other header is refused. */
const HEADER = Buffer.from(JSON.stringify({ alg: ALGORITHM })).toString('base64url');

interface ContextClaims {
  caller: unknown;
  op: string;
  iss: string;
  aud: string;
  jti: string;
  iat: number;
  exp: number;
}

const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export class ContextSigner {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = Buffer.from(secret, 'utf8');
  }

  /** A context for `audience` (one subgraph) covering `operation`, used once, valid for CONTEXT_TTL_SECONDS. */
  signNow(caller: Caller, audience: string, operation: SignedOperation, now = Date.now()): string {
    const iat = Math.floor(now / 1000);
    const claims: ContextClaims = { caller, op: operationHash(operation), iss: ISSUER, aud: audience, jti: randomUUID(), iat, exp: iat + CONTEXT_TTL_SECONDS };
    const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${signingInput}.${hmac(this.key, signingInput).toString('base64url')}`;
  }

  sign(caller: Caller, audience: string, operation: SignedOperation): Promise<string> {
    return Promise.resolve(this.signNow(caller, audience, operation));
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
  private readonly key: Buffer;
  private readonly seen = new SeenContextIds();
  constructor(
    secret: string,
    private readonly audience: string,
  ) {
    this.key = Buffer.from(secret, 'utf8');
  }

  /**
   * Returns the caller if the token is valid for this subgraph, covers `operation` and was not
   * used before; otherwise throws InvalidContextError without saying more than why.
   */
  async verify(token: string | undefined, operation: SignedOperation, now = Date.now()): Promise<Caller> {
    return this.verifyNow(token, operation, now);
  }

  verifyNow(token: string | undefined, operation: SignedOperation, now = Date.now()): Caller {
    if (!token) throw new InvalidContextError('missing gateway context');
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) throw new InvalidContextError('invalid gateway context (ERR_JWS_INVALID)');
    const [header, payload, signature] = parts as [string, string, string];
    const expected = hmac(this.key, `${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    // Compared in constant time, and only the canonical encoding of the signature is accepted.
    if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== signature) {
      throw new InvalidContextError('invalid gateway context (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)');
    }
    let claims: Partial<ContextClaims>;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<ContextClaims>;
    } catch {
      throw new InvalidContextError('invalid gateway context (ERR_JWT_INVALID)');
    }
    if (!claims || typeof claims !== 'object') throw new InvalidContextError('invalid gateway context (ERR_JWT_INVALID)');
    const { iss, aud, jti, iat, exp } = claims;
    if (iss !== ISSUER || aud !== this.audience || typeof jti !== 'string' || jti.length === 0 || !Number.isFinite(iat) || !Number.isFinite(exp)) {
      throw new InvalidContextError('invalid gateway context (ERR_JWT_CLAIM_VALIDATION_FAILED)');
    }
    const seconds = now / 1000;
    // Expired, older than its lifetime (whatever exp it claims), or issued in the future.
    if (seconds - CLOCK_TOLERANCE_SECONDS >= exp! || seconds - iat! > CONTEXT_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS || iat! > seconds + CLOCK_TOLERANCE_SECONDS) {
      throw new InvalidContextError('invalid gateway context (ERR_JWT_EXPIRED)');
    }
    if (claims.op !== operationHash(operation)) throw new InvalidContextError('gateway context signed for another operation');
    const parsed = callerClaims.safeParse(claims.caller);
    if (!parsed.success) throw new InvalidContextError('malformed gateway context');
    if (!this.seen.claim(jti, (Math.min(exp!, iat! + CONTEXT_TTL_SECONDS) + CLOCK_TOLERANCE_SECONDS) * 1000, now)) throw new InvalidContextError('gateway context already used');
    return parsed.data;
  }
}
