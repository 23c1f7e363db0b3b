import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appendWithRetry } from '../../platform/database';
import type { ConsentPurpose } from '../policy';
import { ConsentRecordEntity, type ConsentRecordRow, type ConsentSubjectType } from './entities';

export interface ConsentSubject {
  type: ConsentSubjectType;
  id: string;
}

export const subjectKey = (subject: ConsentSubject): string => `${subject.type}:${subject.id}`;

/** Append-only consent records in the shared privacy store. */
export class ConsentStore {
  /** The live-consents statement up to its IN list, quoted by the store's own driver (made on first use). */
  private liveSelectSql?: string;

  constructor(private readonly store: DataSource) {}

  private get liveSelect(): string {
    if (!this.liveSelectSql) {
      const q = (name: string) => this.store.driver.escape(name);
      const table = q(this.store.getMetadata(ConsentRecordEntity).tableName);
      this.liveSelectSql = `SELECT ${['subjectType', 'subjectId', 'purpose', 'status'].map(q).join(', ')} FROM ${table} WHERE ${q('tenantId')} = ? AND ${q('subjectId')} IN`;
    }
    return this.liveSelectSql;
  }

  /**
   * Live consents of many subjects in ONE statement: every record of those subjects, folded so
   * the latest per purpose wins. Keys are subjectKey(subject).
   */
  async liveConsents(tenantId: string, subjects: readonly ConsentSubject[]): Promise<Map<string, Set<ConsentPurpose>>> {
    const live = new Map<string, Set<ConsentPurpose>>(subjects.map((s) => [subjectKey(s), new Set()]));
    if (subjects.length === 0) return live;
    // On the read path of every request that shows consent-bound fields: one prepared-shape
    // statement over the (tenantId, subjectId, sequence) index, four raw columns, no entity hydration.
    const ids = [...new Set(subjects.map((s) => s.id))];
    const rows: Pick<ConsentRecordRow, 'subjectType' | 'subjectId' | 'purpose' | 'status'>[] = await this.store.query(
      `${this.liveSelect} (${ids.map(() => '?').join(', ')}) ORDER BY ${this.store.driver.escape('sequence')}`,
      [tenantId, ...ids],
    );
    for (const row of rows) {
      const set = live.get(`${row.subjectType}:${row.subjectId}`);
      if (!set) continue;
      if (row.status === 'GRANTED') set.add(row.purpose as ConsentPurpose);
      else set.delete(row.purpose as ConsentPurpose);
    }
    return live;
  }

  /** Every record of one subject, oldest first. */
  history(tenantId: string, subject: ConsentSubject): Promise<ConsentRecordRow[]> {
    return this.store.getRepository(ConsentRecordEntity).find({
      where: { tenantId, subjectType: subject.type, subjectId: subject.id },
      order: { sequence: 'ASC' },
    });
  }

  /**
   * Appends one record. The sequence is the next after the highest; writers racing for the same
   * number collide on its unique index and the loser takes the next one (appendWithRetry).
   */
  record(entry: Omit<ConsentRecordRow, 'id' | 'recordedAt' | 'sequence'>, now = new Date()): Promise<ConsentRecordRow> {
    return appendWithRetry(this.store, async (tx) => {
      const repo = tx.getRepository(ConsentRecordEntity);
      const last = await repo.createQueryBuilder('c').select('MAX(c.sequence)', 'max').getRawOne<{ max: string | number | null }>();
      const row: ConsentRecordRow = { ...entry, id: randomUUID(), recordedAt: now, sequence: Number(last?.max ?? 0) + 1 };
      await repo.insert(row);
      return row;
    });
  }
}
