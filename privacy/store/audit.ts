import { createHmac, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appendWithRetry } from '../../platform/database';
import type { AuditHead } from './audit-anchors';
import type { ConsentSubject } from './consents';
import { AuditRecordEntity, AuditSubjectEntity, type AuditRecordRow, type AuditSubjectRow } from './entities';

/** What the caller of append() says; position, time and hashes are the log's. */
export type AuditEntry = Omit<AuditRecordRow, 'id' | 'sequence' | 'recordedAt' | 'prevHash' | 'hash'>;

/**
 * The actions the audit log records. DISCLOSURE: personal data shown to an audited caller
 * (SUPPORT, PARTNER, DPO); SUPPORT_TICKET_USE: a support agent's request that saw data under a
 * live ticket (break-glass), with the ticket's id and reason; CONSENT_GRANT, CONSENT_WITHDRAW;
 * PARTNER_INSTALL, PARTNER_UNINSTALL; ACCOUNT_CLOSE, ACCOUNT_SUSPEND, ACCOUNT_REACTIVATE;
 * RETENTION_RUN: what one retention run removed in a tenant, counts per entity.
 */
export const AUDIT_ACTIONS = [
  'DISCLOSURE',
  'SUPPORT_TICKET_USE',
  'CONSENT_GRANT',
  'CONSENT_WITHDRAW',
  'PARTNER_INSTALL',
  'PARTNER_UNINSTALL',
  'ACCOUNT_CLOSE',
  'ACCOUNT_SUSPEND',
  'ACCOUNT_REACTIVATE',
  'RETENTION_RUN',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One record to append and the people it concerns. */
export interface AuditBatchItem {
  entry: AuditEntry;
  subjects: readonly ConsentSubject[];
}

/** The "previous hash" of a tenant's first record. */
export const GENESIS_HASH = '0'.repeat(64);

const SUBJECT_ROWS_PER_INSERT = 200;

const byKey = (a: ConsentSubject, b: ConsentSubject) => (a.type === b.type ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.type < b.type ? -1 : 1);

/**
 * The hash of one record: HMAC-SHA256, under the audit key, over its fields in a fixed order, its
 * subjects (sorted) and the previous record's hash. The key is held outside the store, so whoever
 * can only write to the database cannot compute a valid hash for an edited or invented record.
 * Times count in whole seconds, the precision every store keeps.
 */
export function recordHash(key: string, record: Omit<AuditRecordRow, 'hash'>, subjects: readonly ConsentSubject[]): string {
  const canonical = JSON.stringify([
    record.tenantId,
    record.sequence,
    Math.floor(record.recordedAt.getTime() / 1000),
    record.actorId,
    record.actorRole,
    record.purpose,
    record.ticketId,
    record.partnerClientId,
    record.requestId,
    record.correlationId,
    record.service,
    record.action,
    record.detail,
    [...subjects].sort(byKey).map((s) => `${s.type}:${s.id}`),
    record.prevHash,
  ]);
  return createHmac('sha256', key).update(canonical).digest('hex');
}

export interface ChainVerification {
  ok: boolean;
  records: number;
  /** The first sequence whose record does not match the chain (edited, missing, out of place, or cut off below the anchor). */
  brokenAt?: number;
  /** Why, when not ok. */
  reason?: 'record does not match the chain' | 'chain is shorter than its anchor' | 'record differs from its anchor' | 'chain is missing';
}

/** The append-only, keyed hash-chained audit log in the shared privacy store (one chain per tenant). */
export class AuditLog {
  /** On MySQL, writers of one chain queue on its row in audit_chain_locks (see that migration). */
  private readonly lockChain?: { insert: string; select: string };
  /** Tenants whose lock row this process knows to exist. */
  private readonly lockRows = new Set<string>();

  constructor(
    private readonly store: DataSource,
    private readonly key: string,
  ) {
    if (store.options.type === 'mysql') {
      const q = (name: string) => store.driver.escape(name);
      this.lockChain = {
        insert: `INSERT IGNORE INTO ${q('audit_chain_locks')} (${q('tenantId')}) VALUES (?)`,
        select: `SELECT ${q('tenantId')} FROM ${q('audit_chain_locks')} WHERE ${q('tenantId')} = ? FOR UPDATE`,
      };
    }
  }

  /** MySQL: the tenant's lock row exists (made outside the append transaction, so no lock upgrade is ever needed). */
  private async ensureLockRow(tenantId: string): Promise<void> {
    if (!this.lockChain || this.lockRows.has(tenantId)) return;
    await this.store.query(this.lockChain.insert, [tenantId]);
    this.lockRows.add(tenantId);
  }

  /**
   * Appends one record (and the people it concerns) at the end of the tenant's chain, in one
   * transaction. On MySQL writers queue on the chain's lock row; should writers still race for the
   * same position (other processes on SQLite, a busy SQLite file), appendWithRetry sorts them out:
   * the unique (tenant, sequence) index refuses all but one, and the others try again on the new end.
   */
  async append(entry: AuditEntry, subjects: readonly ConsentSubject[], now = new Date()): Promise<AuditRecordRow> {
    return (await this.appendBatch([{ entry, subjects }], now))[0]!;
  }

  /**
   * Appends the records of one request (all of one tenant) together: consecutive positions of the
   * tenant's chain, in one transaction — all of them or none.
   */
  async appendBatch(items: readonly AuditBatchItem[], now = new Date()): Promise<AuditRecordRow[]> {
    if (items.length === 0) return [];
    const tenantId = items[0]!.entry.tenantId;
    if (items.some((item) => item.entry.tenantId !== tenantId)) throw new Error('an audit batch belongs to one tenant');
    const recordedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    await this.ensureLockRow(tenantId);
    return appendWithRetry(this.store, async (tx) => {
      if (this.lockChain) await tx.query(this.lockChain.select, [tenantId]);
      const records = tx.getRepository(AuditRecordEntity);
      const last = await records.findOne({ where: { tenantId }, order: { sequence: 'DESC' }, select: { sequence: true, hash: true } });
      let sequence = last?.sequence ?? 0;
      let prevHash = last?.hash ?? GENESIS_HASH;
      const written: AuditRecordRow[] = [];
      const rows: AuditSubjectRow[] = [];
      for (const { entry, subjects } of items) {
        const unhashed = { ...entry, id: randomUUID(), sequence: (sequence += 1), recordedAt, prevHash };
        const record: AuditRecordRow = { ...unhashed, hash: recordHash(this.key, unhashed, subjects) };
        written.push(record);
        prevHash = record.hash;
        for (const s of subjects) rows.push({ auditId: record.id, tenantId, subjectType: s.type, subjectId: s.id });
      }
      await records.insert(written);
      for (let i = 0; i < rows.length; i += SUBJECT_ROWS_PER_INSERT) await tx.getRepository(AuditSubjectEntity).insert(rows.slice(i, i + SUBJECT_ROWS_PER_INSERT));
      return written;
    });
  }

  /** A tenant's records in chain order. */
  records(tenantId: string): Promise<AuditRecordRow[]> {
    return this.store.getRepository(AuditRecordEntity).find({ where: { tenantId }, order: { sequence: 'ASC' } });
  }

  /** The people one record concerns. */
  async subjectsOf(auditId: string): Promise<ConsentSubject[]> {
    const rows = await this.store.getRepository(AuditSubjectEntity).find({ where: { auditId } });
    return rows.map((r) => ({ type: r.subjectType, id: r.subjectId }));
  }

  /** The last record of every tenant's chain: what an anchor keeps. */
  async heads(): Promise<AuditHead[]> {
    const rows: { tenantId: string; sequence: string | number }[] = await this.store
      .getRepository(AuditRecordEntity)
      .createQueryBuilder('a')
      .select('a.tenantId', 'tenantId')
      .addSelect('MAX(a.sequence)', 'sequence')
      .groupBy('a.tenantId')
      .getRawMany();
    const heads: AuditHead[] = [];
    for (const row of rows) {
      const last = await this.store.getRepository(AuditRecordEntity).findOne({ where: { tenantId: row.tenantId, sequence: Number(row.sequence) }, select: { hash: true } });
      if (last) heads.push({ tenantId: row.tenantId, sequence: Number(row.sequence), hash: last.hash });
    }
    return heads;
  }

  /**
   * Walks a tenant's chain and recomputes every keyed hash: ok only if nothing was edited, removed,
   * reordered or forged. Given the tenant's last anchored head, it also finds a chain cut off
   * below that head, rewritten up to it, or deleted altogether.
   */
  async verify(tenantId: string, anchor?: AuditHead): Promise<ChainVerification> {
    const records = await this.records(tenantId);
    if (anchor && records.length === 0) return { ok: false, records: 0, brokenAt: 1, reason: 'chain is missing' };
    const subjects = new Map<string, ConsentSubject[]>();
    for (const row of await this.store.getRepository(AuditSubjectEntity).find({ where: { tenantId } })) {
      const list = subjects.get(row.auditId) ?? subjects.set(row.auditId, []).get(row.auditId)!;
      list.push({ type: row.subjectType, id: row.subjectId });
    }
    let prevHash = GENESIS_HASH;
    for (const [index, record] of records.entries()) {
      const { hash, ...unhashed } = record;
      if (record.sequence !== index + 1 || record.prevHash !== prevHash || recordHash(this.key, unhashed, subjects.get(record.id) ?? []) !== hash) {
        return { ok: false, records: records.length, brokenAt: index + 1, reason: 'record does not match the chain' };
      }
      prevHash = hash;
    }
    if (anchor) {
      if (records.length < anchor.sequence) return { ok: false, records: records.length, brokenAt: records.length + 1, reason: 'chain is shorter than its anchor' };
      if (records[anchor.sequence - 1]!.hash !== anchor.hash) return { ok: false, records: records.length, brokenAt: anchor.sequence, reason: 'record differs from its anchor' };
    }
    return { ok: true, records: records.length };
  }
}
