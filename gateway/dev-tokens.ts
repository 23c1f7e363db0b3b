import { SignJWT } from 'jose';
import { DEV_JWT_SECRET } from '../platform/env';
import type { Role } from '../privacy/policy';

export interface DevTokenClaims {
  sub: string;
  tenant: string;
  role: Role;
  team?: string;
  partner?: string;
  ticket?: { id: string; reason: string; expiresAt: string };
}

export interface DevTokenOptions {
  secret?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string;
}

/** Development and test tokens, signed with the development secret (HS256). Never for production. */
export function mintDevToken(claims: DevTokenClaims, options: DevTokenOptions = {}): Promise<string> {
  if (process.env.NODE_ENV === 'production') throw new Error('Development tokens are not available in production');
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(options.issuer ?? 'crm-auth')
    .setAudience(options.audience ?? 'crm-api')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(options.secret ?? DEV_JWT_SECRET));
}
