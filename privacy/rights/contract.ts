import { z } from 'zod';

/**
 * The rights contract: what every subgraph does for one person's data-subject rights, derived from
 * its data inventory, and how the rights worker asks for it. Each subgraph serves these operations
 * at RIGHTS_PATH (internal: signed with the internal secret, never through the gateway); the
 * worker knows nothing of any subgraph's tables, so adding a subgraph adds its part of every right
 * without touching the orchestration.
 *
 * Long work is paged: an operation on one entity takes a cursor and returns the next one (null when
 * done), so a step can stop after any page and go on where it stopped.
 */
export const RIGHTS_PATH = '/internal/rights';
/** Header carrying `t=<unix seconds>,s=<base64url HMAC-SHA256(secret, t + "." + body)>`. */
export const RIGHTS_SIGNATURE_HEADER = 'x-crm-rights-signature';
/** A signed rights call older than this (or that far in the future) is refused. */
export const RIGHTS_SIGNATURE_TTL_SECONDS = 60;

export const personRef = z.object({ type: z.enum(['USER', 'CONTACT']), id: z.string().min(1).max(64) });
export type PersonRef = z.infer<typeof personRef>;

/** Data points a requester claims, compared with what is held (verification needs two matches). */
export const identityClaims = z.object({
  email: z.string().max(254).optional(),
  phone: z.string().max(32).optional(),
  name: z.string().max(200).optional(),
});
export type IdentityClaims = z.infer<typeof identityClaims>;
export type IdentityPoint = keyof IdentityClaims;

const tenant = z.string().min(1).max(64);
const cursor = z.string().max(512).nullable();
const limit = z.number().int().min(1).max(5000);

export const rightsCall = z.discriminatedUnion('op', [
  /** The entities this subgraph holds personal data in, in the order erasure must visit them. */
  z.object({ op: z.literal('describe') }),
  /** Which claimed data points match what this subgraph holds about the person. */
  z.object({ op: z.literal('verify'), tenantId: tenant, subject: personRef, claims: identityClaims }),
  /** One page of the person's rows of one entity, every inventoried column, for an export. */
  z.object({ op: z.literal('export'), tenantId: tenant, subject: personRef, entity: z.string(), cursor, limit }),
  /** What erasure would do, per entity: counts only, nothing written. */
  z.object({ op: z.literal('dryRun'), tenantId: tenant, subject: personRef }),
  /** Erases one page of one entity per its inventory; idempotent (a page run twice changes nothing more). */
  z.object({ op: z.literal('erase'), tenantId: tenant, subject: personRef, entity: z.string(), cursor, limit }),
  /** Corrects named fields of the person's own record(s); answers hashes of before/after, never values. */
  z.object({ op: z.literal('rectify'), tenantId: tenant, subject: personRef, fields: z.record(z.string(), z.string().max(500).nullable()) }),
  /** Keyed hashes (see fingerprint()) of the person's identifying and personal values, taken before erasure for the residue sweep. */
  z.object({ op: z.literal('fingerprints'), tenantId: tenant, subject: personRef }),
  /** Which personal columns of which entities still hold a value whose fingerprint is listed. */
  z.object({ op: z.literal('sweep'), tenantId: tenant, fingerprints: z.array(z.string().max(128)).max(10_000) }),
  /** The tenants this subgraph holds rows of (the retention run visits each). */
  z.object({ op: z.literal('tenants') }),
  /**
   * One round of retention in one tenant as of `now`, per the inventory's declared retention: up to
   * `limit` rows per entity removed (each entity's round in its own transaction), accounts due to
   * be closed closed, queued object deletions drained; and the accounts whose expiry has run out,
   * for the run to purge as erasure does. Called again while `more`; a round run twice removes
   * nothing more.
   */
  z.object({ op: z.literal('retain'), tenantId: tenant, now: z.string().datetime(), limit }),
]);
export type RightsCall = z.infer<typeof rightsCall>;

/** Counts of what erasure does to one entity. */
export interface ErasureCounts {
  entity: string;
  /** Rows deleted. */
  deleted: number;
  /** Rows kept with their personal columns nulled or pseudonymized (kept under a legal obligation). */
  anonymized: number;
  /** Column values nulled or replaced, over all rows touched. */
  values: number;
  /** Stored objects (recordings) to delete. */
  objects: number;
  /** Rows about someone else that only lose their link to the person (a contact whose owner is erased). */
  unlinked?: number;
}

/** What one retention round did to one entity: counts only. */
export interface RetentionCounts {
  entity: string;
  /** Rows deleted for their age. */
  deleted: number;
  /** Suspended accounts closed (their expiry period starts). */
  closed: number;
  /** Queued deletions of stored objects marked done. */
  drained: number;
}

export interface RightsAnswers {
  describe: {
    subgraph: string;
    entities: {
      entity: string;
      erase: 'DELETE_ROW' | 'ANONYMIZE';
      keptBecause?: string;
      /** The kinds of person its rows link to: a step for a subject of another kind has nothing to do here. */
      persons?: PersonRef['type'][];
      /** The fields rectify accepts for the person this entity is about. */
      rectifiable?: string[];
    }[];
  };
  verify: { matched: IdentityPoint[]; found: boolean };
  export: { entity: string; rows: Record<string, unknown>[]; next: string | null };
  dryRun: { subgraph: string; entities: ErasureCounts[] };
  erase: { counts: ErasureCounts; next: string | null };
  rectify: { changed: { entity: string; column: string; beforeHash: string | null; afterHash: string | null }[] };
  fingerprints: { fingerprints: string[] };
  sweep: { residue: { entity: string; column: string; rows: number }[] };
  tenants: { tenantIds: string[] };
  /**
   * `expired`: the closed accounts in their expiry period (up to the round's limit), so the run
   * records each one's EXPIRY control, which every subgraph reads (a closing this round included).
   */
  retain: { entities: RetentionCounts[]; due: PersonRef[]; more: boolean; expired?: PersonRef[] };
}
export type RightsAnswer<Op extends RightsCall['op']> = RightsAnswers[Op];

/** Errors a rights endpoint answers, as `{ error: { code, message } }` with the HTTP status. */
export const RIGHTS_ERROR_CODES = ['BAD_REQUEST', 'UNAUTHENTICATED', 'NOT_FOUND', 'UNKNOWN_ENTITY', 'UNAVAILABLE'] as const;
