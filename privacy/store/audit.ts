import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { inTransaction } from '../../platform/database';
import type { ConsentSubject } from './consents';
import { AuditRecordEntity, AuditSubjectEntity, type AuditRecordRow, type AuditSubjectRow } from './entities';

/** What the caller of append() says; position, time and hashes are the log's. */
export type AuditEntry = Omit<AuditRecordRow, 'id' | 'sequence' | 'recordedAt' | 'prevHash' | 'hash'>;

/** The "previous hash" of a tenant's first record. */
export const GENESIS_HASH = '0'.repeat(64);

const MAX_ATTEMPTS = 12;
const SUBJECT_ROWS_PER_INSERT = 200;

const byKey = (a: ConsentSubject, b: ConsentSubject) => (a.type === b.type ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.type < b.type ? -1 : 1);

/**
 * The hash of one record: SHA-256 over its fields in a fixed order, its subjects (sorted) and the
 * previous record's hash. Times count in whole seconds, the precision every store keeps.
 */
export function recordHash(record: Omit<AuditRecordRow, 'hash'>, subjects: readonly ConsentSubject[]): string {
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
    record.service,
    record.action,
    record.detail,
    [...subjects].sort(byKey).map((s) => `${s.type}:${s.id}`),
    record.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainVerification {
  ok: boolean;
  records: number;
  /** The first sequence whose record does not match the chain (edited, missing or out of place). */
  brokenAt?: number;
}

/** A lost race for the chain's next position (or, on MySQL, a deadlock between two first writers): try again. */
const isRace = (error: unknown) =>
  /ER_DUP_ENTRY|ER_LOCK_DEADLOCK|SQLITE_CONSTRAINT/.test(String((error as { driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code ?? ''));

/** The append-only, hash-chained audit log in the shared privacy store (one chain per tenant). */
export class AuditLog {
  /** On MySQL the chain's last record is read FOR UPDATE, so concurrent writers queue instead of colliding. */
  private readonly lockLast: { lock?: { mode: 'pessimistic_write' } };

  constructor(private readonly store: DataSource) {
    this.lockLast = store.options.type === 'mysql' ? { lock: { mode: 'pessimistic_write' } } : {};
  }

  /**
   * Appends one record (and the people it concerns) at the end of the tenant's chain, in one
   * transaction. Should writers in other processes still race for the same position, the unique
   * (tenant, sequence) index refuses all but one, and the others retry on the new end.
   */
  async append(entry: AuditEntry, subjects: readonly ConsentSubject[], now = new Date()): Promise<AuditRecordRow> {
    const recordedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await inTransaction(this.store, async (tx) => {
          const records = tx.getRepository(AuditRecordEntity);
          const last = await records.findOne({ where: { tenantId: entry.tenantId }, order: { sequence: 'DESC' }, select: { sequence: true, hash: true }, ...this.lockLast });
          const unhashed = { ...entry, id: randomUUID(), sequence: (last?.sequence ?? 0) + 1, recordedAt, prevHash: last?.hash ?? GENESIS_HASH };
          const record: AuditRecordRow = { ...unhashed, hash: recordHash(unhashed, subjects) };
          await records.insert(record);
          const rows: AuditSubjectRow[] = subjects.map((s) => ({ auditId: record.id, tenantId: entry.tenantId, subjectType: s.type, subjectId: s.id }));
          for (let i = 0; i < rows.length; i += SUBJECT_ROWS_PER_INSERT) await tx.getRepository(AuditSubjectEntity).insert(rows.slice(i, i + SUBJECT_ROWS_PER_INSERT));
          return record;
        });
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRace(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
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

  /** Walks a tenant's chain and recomputes every hash: true only if nothing was edited, removed or reordered. */
  async verify(tenantId: string): Promise<ChainVerification> {
    const records = await this.records(tenantId);
    const subjects = new Map<string, ConsentSubject[]>();
    for (const row of await this.store.getRepository(AuditSubjectEntity).find({ where: { tenantId } })) {
      const list = subjects.get(row.auditId) ?? subjects.set(row.auditId, []).get(row.auditId)!;
      list.push({ type: row.subjectType, id: row.subjectId });
    }
    let prevHash = GENESIS_HASH;
    for (const [index, record] of records.entries()) {
      const { hash, ...unhashed } = record;
      if (record.sequence !== index + 1 || record.prevHash !== prevHash || recordHash(unhashed, subjects.get(record.id) ?? []) !== hash) {
        return { ok: false, records: records.length, brokenAt: index + 1 };
      }
      prevHash = hash;
    }
    return { ok: true, records: records.length };
  }
}
