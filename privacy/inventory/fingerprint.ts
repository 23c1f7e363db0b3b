import { createHmac } from 'node:crypto';
import { tenantPseudonymKey } from '../masks';
import type { MatchKind } from './types';

/**
 * Keyed fingerprints of personal values: what the residue sweep looks for and what a suppression
 * list keeps instead of an erased person's email or phone. A value is normalized first (an email
 * case-insensitively, a phone number bare, text trimmed, lower-cased, spaces collapsed), then
 * HMAC-SHA256 under a per-tenant key derived from the pseudonym secret: equal values of one tenant
 * give equal fingerprints in every subgraph, nothing can be recovered from one, and without the
 * secret no one can test a guess against it.
 */

/** Names and free text normalize alike, so a name found in a text column is still found. */
const FAMILY: Record<MatchKind, string> = { email: 'email', phone: 'phone', name: 'text', text: 'text' };

export function normalizeValue(kind: MatchKind, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).normalize('NFKC').trim();
  if (!text) return null;
  switch (kind) {
    case 'email':
      return text.toLowerCase();
    case 'phone':
      return text.replace(/[\s\-().]/g, '');
    default:
      return text.toLowerCase().replace(/\s+/g, ' ');
  }
}

/** The fingerprint key of a tenant (the same in every subgraph sharing PSEUDONYM_SECRET). */
export function fingerprintKey(pseudonymSecret: string, tenantId: string): Buffer {
  return createHmac('sha256', tenantPseudonymKey(pseudonymSecret, tenantId)).update('fingerprint', 'utf8').digest();
}

/** `fp_` and 43 characters, or null for an empty value. */
export function fingerprint(key: Uint8Array, kind: MatchKind, value: unknown): string | null {
  const normalized = normalizeValue(kind, value);
  if (normalized === null) return null;
  return `fp_${createHmac('sha256', key).update(`${FAMILY[kind]}\u0000${normalized}`, 'utf8').digest('base64url')}`;
}
