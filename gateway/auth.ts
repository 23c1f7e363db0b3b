import { createRemoteJWKSet, importSPKI, jwtVerify, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { z } from 'zod';
import { unauthenticated } from '../platform/errors';
import { ROLES } from '../privacy/policy';
import type { Caller } from '../privacy/caller';
import type { GatewayConfig } from './config';

/** How far in the future a token's `iat` may lie: the clock difference tolerated between issuer and gateway. */
export const CLOCK_SKEW_SECONDS = 60;
/** How long a verified token is taken on its word, and how many are remembered. */
const VERIFIED_FOR_MS = 30_000;
const VERIFIED_MAX = 10_000;

/** What a verified access token says about its bearer. */
export type Identity = Omit<Caller, 'purpose' | 'requestId'>;

const claimsSchema = z.object({
  sub: z.string().uuid(),
  tenant: z.string().uuid(),
  role: z.enum(ROLES),
  team: z.string().uuid().optional(),
  partner: z.string().min(1).max(100).optional(),
  ticket: z
    .object({ id: z.string().min(1).max(100), reason: z.string().min(1).max(500), expiresAt: z.string().datetime() })
    .optional(),
});

/**
 * Verifies `Authorization: Bearer <JWT>` with jose. Every failure is the same 401 with a short
 * reason; the token itself is never echoed or logged.
 */
export class Authenticator {
  /**
   * Tokens that passed every check lately, by their exact text: a client sends the same token on
   * every request until it expires, and checking its signature again (about 200 µs for HS256
   * through WebCrypto) gives the same answer for the same bytes. An entry is kept at most
   * VERIFIED_FOR_MS and never past the token's `exp`, which is checked on every use; a key removed
   * from the JWKS stops counting within that time (jose keeps the JWKS for minutes anyway).
   */
  private readonly verified = new Map<string, { identity: Identity; until: number }>();

  private constructor(
    private readonly key: Uint8Array | KeyLike | JWTVerifyGetKey,
    private readonly options: GatewayConfig['jwt'],
  ) {}

  static async create(options: GatewayConfig['jwt']): Promise<Authenticator> {
    const source = options.key;
    if (source.kind === 'secret') return new Authenticator(new TextEncoder().encode(source.secret), options);
    if (source.kind === 'jwks') return new Authenticator(createRemoteJWKSet(new URL(source.url)), options);
    const algorithm = options.algorithms[0] ?? 'RS256';
    return new Authenticator(await importSPKI(source.pem, algorithm), options);
  }

  /** Undefined when no credentials were sent; throws UNAUTHENTICATED for bad ones. */
  async authenticate(authorization: string | undefined): Promise<Identity | undefined> {
    if (authorization === undefined || authorization === '') return undefined;
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization);
    if (!match) throw unauthenticated('Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && now < known.until) return { ...known.identity };
    if (known) this.verified.delete(token);
    const identity = await this.verify(token);
    this.remember(token, identity.exp, identity.nbf, now, identity.identity);
    return { ...identity.identity };
  }

  private remember(token: string, exp: number, nbf: number | undefined, now: number, identity: Identity): void {
    // A token not yet valid is not remembered: its `nbf` would have to be checked again.
    if (nbf !== undefined && nbf * 1000 > now) return;
    if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { identity, until: Math.min(exp * 1000, now + VERIFIED_FOR_MS) });
  }

  private async verify(token: string): Promise<{ identity: Identity; exp: number; nbf?: number }> {
    let payload: unknown;
    try {
      const verified = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.options.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['exp', 'sub'],
      });
      payload = verified.payload;
    } catch (error) {
      throw unauthenticated(`Invalid access token (${describeJoseError(error)})`);
    }
    // jose checks `iat` only against a maximum age: a token "issued" in the future would outlive its
    // issuer's intent (and hints at a forged or mis-clocked issuer), so it is refused past a small skew.
    const issuedAt = (payload as { iat?: unknown }).iat;
    if (typeof issuedAt === 'number' && issuedAt > Date.now() / 1000 + CLOCK_SKEW_SECONDS) throw unauthenticated('Invalid access token (issued in the future)');
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated(`Invalid access token (${describeClaimIssues(claims.error.issues, payload)})`);
    const { sub, tenant, role, team, partner, ticket } = claims.data;
    const { exp, nbf } = payload as { exp: number; nbf?: number };
    return {
      identity: {
        userId: sub,
        tenantId: tenant,
        role,
        ...(team ? { teamId: team } : {}),
        ...(partner ? { partnerClientId: partner } : {}),
        ...(ticket ? { ticket } : {}),
      },
      exp,
      ...(typeof nbf === 'number' ? { nbf } : {}),
    };
  }
}

/** Names each wrong claim and what is wrong with it (never its value): `claim tenant: missing`. */
function describeClaimIssues(issues: readonly z.core.$ZodIssue[], payload: unknown): string {
  const claims = payload as Record<string, unknown>;
  const named = new Map<string, string>();
  for (const issue of issues) {
    const claim = issue.path.map(String).join('.') || 'payload';
    if (named.has(claim)) continue;
    named.set(claim, claims[String(issue.path[0])] === undefined ? 'missing' : issue.message);
  }
  return [...named].map(([claim, problem]) => `claim ${claim}: ${problem}`).join('; ');
}

function describeJoseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `claim ${(error as { claim?: string }).claim ?? 'invalid'}`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm not allowed';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'signature';
    default:
      return 'malformed';
  }
}
