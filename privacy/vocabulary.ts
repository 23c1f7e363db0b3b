/** Who may call: the roles a token can carry. */
export const ROLES = ['ADMIN', 'MEMBER', 'SUPPORT', 'PARTNER', 'DPO'] as const;
export type Role = (typeof ROLES)[number];

/** Why a caller reads data; each purpose rests on one legal basis. */
export const PURPOSES = [
  'SERVICE',
  'SUPPORT',
  'ANALYTICS',
  'MARKETING',
  'PARTNER_SHARING',
  'LEGAL',
  'RIGHTS_REQUEST',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const DEFAULT_PURPOSE: Purpose = 'SERVICE';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}
