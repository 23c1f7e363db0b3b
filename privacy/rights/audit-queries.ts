import type { DataSource } from 'typeorm';
import type { ConsentSubject } from '../store/consents';
import { AuditRecordEntity, AuditSubjectEntity, type AuditRecordRow } from '../store/entities';

export interface AuditFilter {
  /** Only this tenant's chain (an ADMIN: always their own). */
  tenantId?: string;
  subject?: ConsentSubject;
  actorId?: string;
  role?: string;
  purpose?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

export interface AuditPosition {
  tenantId: string;
  sequence: number;
}

/**
 * Reads of the audit log: by tenant chain order (tenant, then sequence), with the people a record
 * concerns reached through audit_subjects. Records carry field names and counts, never values.
 */
export class AuditQueries {
  constructor(private readonly store: DataSource) {}

  /** One page (limit + 1 rows, for look-ahead) after a position. */
  page(filter: AuditFilter, limit: number, after?: AuditPosition): Promise<AuditRecordRow[]> {
    const qb = this.store.getRepository(AuditRecordEntity).createQueryBuilder('a');
    if (filter.tenantId) qb.andWhere('a.tenantId = :tenantId', { tenantId: filter.tenantId });
    if (filter.actorId) qb.andWhere('a.actorId = :actorId', { actorId: filter.actorId });
    if (filter.role) qb.andWhere('a.actorRole = :role', { role: filter.role });
    if (filter.purpose) qb.andWhere('a.purpose = :purpose', { purpose: filter.purpose });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.from) qb.andWhere('a.recordedAt >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.recordedAt <= :to', { to: filter.to });
    if (filter.subject) {
      const sub = this.store
        .getRepository(AuditSubjectEntity)
        .createQueryBuilder('s')
        .select('1')
        .where('s.auditId = a.id AND s.subjectType = :subjectType AND s.subjectId = :subjectId');
      qb.andWhere(`EXISTS (${sub.getQuery()})`, { subjectType: filter.subject.type, subjectId: filter.subject.id });
    }
    if (after) qb.andWhere('(a.tenantId > :afterTenant OR (a.tenantId = :afterTenant AND a.sequence > :afterSequence))', { afterTenant: after.tenantId, afterSequence: after.sequence });
    return qb.orderBy('a.tenantId', 'ASC').addOrderBy('a.sequence', 'ASC').take(limit + 1).getMany();
  }

  /** Where a record stands in chain order (to continue after it). */
  async position(id: string): Promise<AuditPosition | null> {
    const row = await this.store.getRepository(AuditRecordEntity).findOne({ where: { id }, select: { tenantId: true, sequence: true } });
    return row ? { tenantId: row.tenantId, sequence: row.sequence } : null;
  }

  /** Every disclosure of one person's data in a tenant (for their export), oldest first. */
  async disclosuresAbout(tenantId: string, subject: ConsentSubject): Promise<AuditRecordRow[]> {
    const rows: AuditRecordRow[] = [];
    let after: AuditPosition | undefined;
    for (;;) {
      const page = await this.page({ tenantId, subject, action: 'DISCLOSURE' }, 1000, after);
      rows.push(...page.slice(0, 1000));
      if (page.length <= 1000) return rows;
      after = { tenantId, sequence: page[999]!.sequence };
    }
  }
}
