import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SuppressionEntity } from './rights-entities';

export type SuppressedKind = 'EMAIL' | 'PHONE';

/** The form a value is compared in: emails case-folded, phone numbers as their digits with a leading +. */
export function normalizeIdentifier(kind: SuppressedKind, value: string): string {
  const trimmed = value.trim();
  return kind === 'EMAIL' ? trimmed.toLowerCase() : `+${trimmed.replace(/\D/g, '')}`;
}

/** The suppression key: derived from the pseudonym secret every subgraph holds, never stored. */
export const suppressionKey = (pseudonymSecret: string): string => createHmac('sha256', pseudonymSecret).update('suppression-list').digest('base64url');

/**
 * A keyed hash of one identifier in one tenant: equal for the same person's email in the same
 * tenant, useless without the key (an email cannot be found by hashing guesses).
 */
export function suppressionFingerprint(key: string, tenantId: string, kind: SuppressedKind, value: string): string {
  return createHmac('sha256', key).update(`${tenantId}\u0000${kind}\u0000${normalizeIdentifier(kind, value)}`).digest('hex');
}

/**
 * Emails and phone numbers of erased people, as keyed hashes only: a contact created or imported
 * again with the same email or phone is flagged (`suppressed`), so the business can see it is
 * re-collecting data of someone who asked to be erased.
 */
export class SuppressionList {
  constructor(
    private readonly store: DataSource,
    private readonly key: string,
  ) {}

  fingerprint(tenantId: string, kind: SuppressedKind, value: string): string {
    return suppressionFingerprint(this.key, tenantId, kind, value);
  }

  /** Adds fingerprints (idempotent). */
  async add(tenantId: string, entries: { kind: SuppressedKind; fingerprint: string }[], requestId: string, now = Date.now()): Promise<void> {
    const repo = this.store.getRepository(SuppressionEntity);
    for (const entry of entries) {
      if (await repo.findOne({ where: { tenantId, fingerprint: entry.fingerprint } })) continue;
      try {
        await repo.insert({ tenantId, fingerprint: entry.fingerprint, kind: entry.kind, requestId, recordedAt: now });
      } catch (error) {
        if (!(await repo.findOne({ where: { tenantId, fingerprint: entry.fingerprint } }))) throw error;
      }
    }
  }

  async isSuppressed(tenantId: string, fingerprint: string): Promise<boolean> {
    return (await this.store.getRepository(SuppressionEntity).count({ where: { tenantId, fingerprint } })) > 0;
  }

  /** Whether an email or a phone number (either may be absent) belongs to an erased person of the tenant. */
  async matches(tenantId: string, values: { email?: string | null; phone?: string | null }): Promise<boolean> {
    const prints = [
      ...(values.email ? [this.fingerprint(tenantId, 'EMAIL', values.email)] : []),
      ...(values.phone ? [this.fingerprint(tenantId, 'PHONE', values.phone)] : []),
    ];
    for (const print of prints) if (await this.isSuppressed(tenantId, print)) return true;
    return false;
  }
}
