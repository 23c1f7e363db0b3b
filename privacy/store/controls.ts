import type { DataSource } from 'typeorm';
import { OBJECTABLE_PURPOSES, type ObjectablePurpose } from '../policy';
import type { ConsentSubject } from './consents';
import { ProcessingControlEntity, type ProcessingControlRow } from './entities';

/**
 * What a person asked of the processing of their data, in force now: a restriction (Art. 18) or
 * an objection to one purpose (Art. 21). One row per control in force; lifting a restriction or an
 * objection removes its row (the history of both is in the audit log, written by the request that
 * set or lifted it).
 */
export type ProcessingControl = { kind: 'RESTRICTION' } | { kind: 'OBJECTION'; purpose: ObjectablePurpose };

/** The controls in force in one tenant, read once per request (every subgraph, every request with personal data). */
export class TenantControls {
  static readonly NONE = new TenantControls([]);

  private readonly restricted = new Set<string>();
  private readonly objections = new Map<string, Set<ObjectablePurpose>>();

  constructor(rows: readonly Pick<ProcessingControlRow, 'subjectType' | 'subjectId' | 'control' | 'purpose'>[]) {
    for (const row of rows) {
      const key = `${row.subjectType}:${row.subjectId}`;
      if (row.control === 'RESTRICTION') this.restricted.add(key);
      else if (row.control === 'OBJECTION' && row.purpose && (OBJECTABLE_PURPOSES as readonly string[]).includes(row.purpose)) {
        let set = this.objections.get(key);
        if (!set) this.objections.set(key, (set = new Set()));
        set.add(row.purpose as ObjectablePurpose);
      }
    }
  }

  get isEmpty(): boolean {
    return this.restricted.size === 0 && this.objections.size === 0;
  }

  isRestricted(type: string, id: string): boolean {
    return this.restricted.size > 0 && this.restricted.has(`${type}:${id}`);
  }

  objectsTo(type: string, id: string, purpose: string): boolean {
    return this.objections.size > 0 && !!this.objections.get(`${type}:${id}`)?.has(purpose as ObjectablePurpose);
  }

  /** The id lists below, made once each (the engine asks for them for every class of every condition it writes). */
  private readonly idLists = new Map<string, string[]>();

  /** Ids of one subject type whose processing is restricted (for SQL conditions of many-person lists). */
  restrictedIds(type: string): string[] {
    if (this.restricted.size === 0) return [];
    return this.listed(`R|${type}`, () => this.idsOf(this.restricted, type));
  }

  /** Ids of one subject type that object to the purpose. */
  objectorIds(type: string, purpose: string): string[] {
    if (this.objections.size === 0) return [];
    return this.listed(`O|${type}|${purpose}`, () =>
      this.idsOf(
        [...this.objections].filter(([, purposes]) => purposes.has(purpose as ObjectablePurpose)).map(([key]) => key),
        type,
      ),
    );
  }

  private listed(key: string, make: () => string[]): string[] {
    let ids = this.idLists.get(key);
    if (!ids) this.idLists.set(key, (ids = make()));
    return ids;
  }

  private idsOf(keys: Iterable<string>, type: string): string[] {
    const prefix = `${type}:`;
    const ids: string[] = [];
    for (const key of keys) if (key.startsWith(prefix)) ids.push(key.slice(prefix.length));
    return ids.sort();
  }
}

export class ProcessingControlStore {
  private selectSql?: string;

  constructor(private readonly store: DataSource) {}

  private get select(): string {
    if (!this.selectSql) {
      const q = (name: string) => this.store.driver.escape(name);
      const table = q(this.store.getMetadata(ProcessingControlEntity).tableName);
      this.selectSql = `SELECT ${['subjectType', 'subjectId', 'control', 'purpose'].map(q).join(', ')} FROM ${table} WHERE ${q('tenantId')} = ?`;
    }
    return this.selectSql;
  }

  /** Every control in force in the tenant, in one statement over the (tenantId, …) primary key. */
  async inForce(tenantId: string): Promise<TenantControls> {
    const rows = await this.store.query(this.select, [tenantId]);
    return rows.length === 0 ? TenantControls.NONE : new TenantControls(rows);
  }

  /** The controls of one person. */
  async of(tenantId: string, subject: ConsentSubject): Promise<ProcessingControl[]> {
    const rows = await this.store.getRepository(ProcessingControlEntity).find({ where: { tenantId, subjectType: subject.type, subjectId: subject.id } });
    return rows.map((row) => (row.control === 'RESTRICTION' ? { kind: 'RESTRICTION' } : { kind: 'OBJECTION', purpose: row.purpose as ObjectablePurpose }));
  }

  /** Puts a control in force (idempotent). */
  async set(tenantId: string, subject: ConsentSubject, control: ProcessingControl, by: { requestId: string | null; recordedBy: string }, now = new Date()): Promise<void> {
    const repo = this.store.getRepository(ProcessingControlEntity);
    const key = { tenantId, subjectType: subject.type, subjectId: subject.id, control: control.kind, purpose: control.kind === 'OBJECTION' ? control.purpose : '' };
    const existing = await repo.findOne({ where: key });
    if (existing) return;
    try {
      await repo.insert({ ...key, requestId: by.requestId, recordedBy: by.recordedBy, recordedAt: now });
    } catch (error) {
      // Two writers setting the same control: the other one's row stands.
      if (!(await repo.findOne({ where: key }))) throw error;
    }
  }

  /** Lifts a control (idempotent). */
  async lift(tenantId: string, subject: ConsentSubject, control: ProcessingControl): Promise<boolean> {
    const result = await this.store.getRepository(ProcessingControlEntity).delete({
      tenantId,
      subjectType: subject.type,
      subjectId: subject.id,
      control: control.kind,
      purpose: control.kind === 'OBJECTION' ? control.purpose : '',
    });
    return (result.affected ?? 0) > 0;
  }
}
