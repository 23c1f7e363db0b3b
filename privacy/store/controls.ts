import type { DataSource } from 'typeorm';
import { OBJECTABLE_PURPOSES, type ObjectablePurpose } from '../policy';
import type { ConsentSubject } from './consents';
import { ProcessingControlEntity, type ProcessingControlRow } from './entities';

/**
 * What holds for the processing of a person's data, in force now: a restriction (Art. 18) or an
 * objection to one purpose (Art. 21), which the person asked for; or the expiry of a closed user
 * account, which the accounts subgraph records when the account closes (only the user and the DPO
 * read the account's data until retention purges it). One row per control in force; lifting one
 * removes its row (the history is in the audit log, written by the action that set or lifted it).
 * Every subgraph reads them once per request: a fact one subgraph holds reaches the rows of that
 * person in all of them.
 */
export type ProcessingControl = { kind: 'RESTRICTION' } | { kind: 'OBJECTION'; purpose: ObjectablePurpose } | { kind: 'EXPIRY' };

/** The expiry of a closed account (one per person; its purpose key is empty). */
export const EXPIRY: ProcessingControl = { kind: 'EXPIRY' };

export const HELD_RESTRICTED = 1;
export const HELD_OBJECTED = 2;
export const HELD_EXPIRED = 4;

/** The controls in force in one tenant, read once per request (every subgraph, every request with personal data). */
export class TenantControls {
  static readonly NONE = new TenantControls([]);

  private readonly restricted = new Set<string>();
  private readonly objections = new Map<string, Set<ObjectablePurpose>>();
  private readonly expired = new Set<string>();

  constructor(rows: readonly Pick<ProcessingControlRow, 'subjectType' | 'subjectId' | 'control' | 'purpose'>[]) {
    for (const row of rows) {
      const key = `${row.subjectType}:${row.subjectId}`;
      if (row.control === 'RESTRICTION') this.restricted.add(key);
      else if (row.control === 'EXPIRY') this.expired.add(key);
      else if (row.control === 'OBJECTION' && row.purpose && (OBJECTABLE_PURPOSES as readonly string[]).includes(row.purpose)) {
        let set = this.objections.get(key);
        if (!set) this.objections.set(key, (set = new Set()));
        set.add(row.purpose as ObjectablePurpose);
      }
    }
  }

  get isEmpty(): boolean {
    return this.restricted.size === 0 && this.objections.size === 0 && this.expired.size === 0;
  }

  /**
   * Which controls hold for one person, as the engine reads them for every row it decides (the
   * person's key made once, no allocation): HELD_RESTRICTED | HELD_OBJECTED | HELD_EXPIRED.
   */
  heldFor(type: string, id: string, purpose: string): number {
    const key = `${type}:${id}`;
    let held = 0;
    if (this.restricted.size > 0 && this.restricted.has(key)) held |= HELD_RESTRICTED;
    if (this.objections.size > 0 && this.objections.get(key)?.has(purpose as ObjectablePurpose)) held |= HELD_OBJECTED;
    if (this.expired.size > 0 && this.expired.has(key)) held |= HELD_EXPIRED;
    return held;
  }

  /** The id lists below, made once each (the engine asks for them for every class of every condition it writes). */
  private readonly idLists = new Map<string, string[]>();

  /** Ids of one subject type whose processing is restricted (for SQL conditions of many-person lists). */
  restrictedIds(type: string): string[] {
    if (this.restricted.size === 0) return [];
    return this.listed(`R|${type}`, () => this.idsOf(this.restricted, type));
  }

  /** Ids of one subject type that are closed accounts in their expiry period. */
  expiredIds(type: string): string[] {
    if (this.expired.size === 0) return [];
    return this.listed(`E|${type}`, () => this.idsOf(this.expired, type));
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
    return rows.map((row) => (row.control === 'OBJECTION' ? { kind: 'OBJECTION', purpose: row.purpose as ObjectablePurpose } : { kind: row.control }));
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
