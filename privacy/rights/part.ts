import { Brackets, In, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { inTransaction } from '../../platform/database';
import { personPseudonym, tenantPseudonymKey } from '../masks';
import { fingerprint, fingerprintKey, normalizeValue } from '../inventory/fingerprint';
import {
  columnErasure,
  entityName,
  PRIMARY_KEY,
  subjectLink,
  TENANT_COLUMN,
  type ColumnEntry,
  type EntityInventory,
  type MatchKind,
  type PersonLink,
  type StoredObjectRef,
  type SubgraphInventory,
} from '../inventory/types';
import type { ErasureCounts, IdentityClaims, IdentityPoint, PersonRef, RetentionCounts, RightsAnswers, RightsCall } from './contract';

/** A refusal of a rights call, answered as `{ error: { code, message } }` with `status`. */
export class RightsError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'NOT_FOUND' | 'UNKNOWN_ENTITY',
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return this.code === 'BAD_REQUEST' ? 400 : 404;
  }
}

export interface RightsPartOptions {
  subgraph: string;
  inventory: SubgraphInventory;
  store: DataSource;
  /** Master secret of the per-tenant pseudonym and fingerprint keys (PSEUDONYM_SECRET). */
  pseudonymSecret: string;
  /** Where the settings an inventory's retention names are read (default: the process environment). */
  settings?: Record<string, string | undefined>;
}

const DAY_MS = 86_400_000;

/** A retention period in days: the inventory's, or the setting it names when that is set (a whole number of days, 1 or more). */
export function retentionDays(days: number, setting: string | undefined, settings: Record<string, string | undefined>): number {
  const raw = setting ? settings[setting] : undefined;
  if (raw === undefined || raw === '') return days;
  if (!/^\d{1,5}$/.test(raw.trim()) || Number(raw) < 1) throw new Error(`Invalid configuration: ${setting} must be a whole number of days, 1 or more`);
  return Number(raw);
}

type Row = Record<string, unknown>;

/** Rows read per statement by the whole-tenant scans (dry run, fingerprints, sweep). */
const SCAN_BATCH = 1000;
const E164 = /^\+[1-9]\d{6,14}$/;
const IDENTITY_POINTS: readonly IdentityPoint[] = ['email', 'phone', 'name'];

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
function decodeCursor(cursor: string | null): string | null {
  if (cursor === null) return null;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!id || encodeCursor(id) !== cursor) throw new RightsError('BAD_REQUEST', 'The cursor is not one this endpoint gave');
  return id;
}

const zeroCounts = (entity: string): ErasureCounts => ({ entity, deleted: 0, anonymized: 0, unlinked: 0, values: 0, objects: 0 });
function addCounts(total: ErasureCounts, page: ErasureCounts): void {
  total.deleted += page.deleted;
  total.anonymized += page.anonymized;
  total.unlinked = (total.unlinked ?? 0) + (page.unlinked ?? 0);
  total.values += page.values;
  total.objects += page.objects;
}

const sameValue = (a: unknown, b: unknown): boolean => (a ?? null) === (b ?? null) || (a instanceof Date && b instanceof Date && a.getTime() === b.getTime());

/** What erasing one person does to one page of an entity's rows, computed before anything is written. */
interface ErasurePlan {
  counts: ErasureCounts;
  deletes: string[];
  /** Rows to update, grouped by the values they are set to. */
  updates: Map<string, { set: Row; ids: string[] }>;
  objects: Map<string, StoredObjectRef[]>;
}

/**
 * One subgraph's part of every data-subject right, derived from its inventory alone: nothing here
 * knows a table of any subgraph. Every statement names the tenant; every page is ordered by the
 * primary key and resumes after the last key it returned.
 */
export class RightsPart {
  private readonly entities = new Map<string, EntityInventory>();
  private readonly pseudonymKeys = new Map<string, Buffer>();
  private readonly fingerprintKeys = new Map<string, Buffer>();
  /** Per entity retained by age: its period in days, settings applied (checked at start). */
  private readonly ageDays = new Map<EntityInventory, number>();

  constructor(private readonly options: RightsPartOptions) {
    for (const entity of options.inventory.entities) {
      this.entities.set(entityName(entity), entity);
      const retention = entity.retention;
      if (retention.kind === 'AGE') this.ageDays.set(entity, retentionDays(retention.days, retention.setting, options.settings ?? process.env));
    }
  }

  /** Runs one validated call (see privacy/rights/contract.ts). */
  async handle(call: RightsCall): Promise<RightsAnswers[RightsCall['op']]> {
    switch (call.op) {
      case 'describe':
        return this.describe();
      case 'verify':
        return this.verify(call.tenantId, call.subject, call.claims);
      case 'export':
        return this.exportPage(call.tenantId, call.subject, call.entity, call.cursor, call.limit);
      case 'dryRun':
        return this.dryRun(call.tenantId, call.subject);
      case 'erase':
        return this.erasePage(call.tenantId, call.subject, call.entity, call.cursor, call.limit);
      case 'rectify':
        return this.rectify(call.tenantId, call.subject, call.fields);
      case 'fingerprints':
        return this.fingerprints(call.tenantId, call.subject);
      case 'sweep':
        return this.sweep(call.tenantId, call.fingerprints);
      case 'tenants':
        return this.tenants();
      case 'retain':
        return this.retain(call.tenantId, new Date(call.now), call.limit);
    }
  }

  describe(): RightsAnswers['describe'] {
    return {
      subgraph: this.options.subgraph,
      entities: this.options.inventory.entities.map((entity) => {
        const subject = subjectLink(entity);
        const rectifiable = Object.entries(entity.columns)
          .filter(([, entry]) => entry.rectifiable)
          .map(([column]) => column);
        return {
          entity: entityName(entity),
          erase: entity.links.some((link) => link.onErase === 'ANONYMIZE') ? ('ANONYMIZE' as const) : ('DELETE_ROW' as const),
          ...(entity.keptBecause ? { keptBecause: entity.keptBecause } : {}),
          persons: [...new Set(entity.links.map((link) => link.person))],
          ...(subject && rectifiable.length ? { rectifiable } : {}),
        };
      }),
    };
  }

  async verify(tenantId: string, subject: PersonRef, claims: IdentityClaims): Promise<RightsAnswers['verify']> {
    const matched = new Set<IdentityPoint>();
    let found = false;
    for (const entity of this.options.inventory.entities) {
      const link = subjectLink(entity);
      if (!link || link.person !== subject.type) continue;
      const identifying = Object.entries(entity.columns).filter(
        ([, entry]) => entry.match && (IDENTITY_POINTS as readonly string[]).includes(entry.match) && (entry.of ?? link.column) === link.column,
      );
      const rows = await this.rows(this.options.store.manager, entity, tenantId, [link], subject.id, null, 100);
      found ||= rows.length > 0;
      for (const row of rows) {
        for (const [column, entry] of identifying) {
          const point = entry.match as IdentityPoint;
          const claimed = normalizeValue(point, claims[point]);
          if (claimed !== null && claimed === normalizeValue(point, row[column])) matched.add(point);
        }
      }
    }
    return { matched: IDENTITY_POINTS.filter((point) => matched.has(point)), found };
  }

  /**
   * One page of the person's rows of one entity, every inventoried column. Rows the person is the
   * subject or the other party of; not rows they merely own (a user's contacts are the contacts'
   * data, not the user's).
   */
  async exportPage(tenantId: string, subject: PersonRef, name: string, cursor: string | null, limit: number): Promise<RightsAnswers['export']> {
    const entity = this.entity(name);
    const links = entity.links.filter((link) => link.person === subject.type && link.role !== 'OWNER');
    if (links.length === 0) return { entity: name, rows: [], next: null };
    const rows = await this.rows(this.options.store.manager, entity, tenantId, links, subject.id, decodeCursor(cursor), limit);
    const columns = Object.keys(entity.columns);
    return {
      entity: name,
      rows: rows.map((row) => Object.fromEntries(columns.map((column) => [column, exported(row[column])]))),
      next: rows.length === limit ? encodeCursor(String(rows[rows.length - 1]![PRIMARY_KEY])) : null,
    };
  }

  async dryRun(tenantId: string, subject: PersonRef): Promise<RightsAnswers['dryRun']> {
    const entities: ErasureCounts[] = [];
    for (const entity of this.options.inventory.entities) {
      const name = entityName(entity);
      const total = zeroCounts(name);
      const links = this.linksTo(entity, subject);
      let after: string | null = null;
      while (links.length > 0) {
        const rows = await this.rows(this.options.store.manager, entity, tenantId, links, subject.id, after, SCAN_BATCH);
        addCounts(total, this.plan(entity, tenantId, subject, links, rows).counts);
        if (rows.length < SCAN_BATCH) break;
        after = String(rows[rows.length - 1]![PRIMARY_KEY]);
      }
      entities.push(total);
    }
    return { subgraph: this.options.subgraph, entities };
  }

  /**
   * Erases one page of one entity per the inventory, in one transaction (rows, counters kept by
   * the store's triggers, stored-object hooks). An erased row no longer links to the person
   * (deleted, or its link nulled or pseudonymized), so a page run again finds nothing more.
   */
  async erasePage(tenantId: string, subject: PersonRef, name: string, cursor: string | null, limit: number): Promise<RightsAnswers['erase']> {
    const entity = this.entity(name);
    const links = this.linksTo(entity, subject);
    if (links.length === 0) return { counts: zeroCounts(name), next: null };
    const after = decodeCursor(cursor);
    return inTransaction(this.options.store, async (tx) => {
      const rows = await this.rows(tx, entity, tenantId, links, subject.id, after, limit, true);
      const plan = this.plan(entity, tenantId, subject, links, rows);
      const repository = tx.getRepository(entity.schema);
      for (const [hook, refs] of plan.objects) if (refs.length) await this.options.inventory.objects![hook]!(tx, tenantId, refs);
      for (const { set, ids } of plan.updates.values()) await repository.update({ [TENANT_COLUMN]: tenantId, [PRIMARY_KEY]: In(ids) }, set);
      if (plan.deletes.length) await repository.delete({ [TENANT_COLUMN]: tenantId, [PRIMARY_KEY]: In(plan.deletes) });
      return { counts: plan.counts, next: rows.length === limit ? encodeCursor(String(rows[rows.length - 1]![PRIMARY_KEY])) : null };
    });
  }

  /** Corrects columns marked rectifiable of the person's own rows; answers keyed hashes of before and after, never values. */
  async rectify(tenantId: string, subject: PersonRef, fields: Record<string, string | null>): Promise<RightsAnswers['rectify']> {
    const targets: { entity: EntityInventory; link: PersonLink; column: string; entry: ColumnEntry; value: string | null }[] = [];
    const names = Object.keys(fields);
    if (names.length === 0) throw new RightsError('BAD_REQUEST', 'Name at least one field to rectify');
    for (const field of names) {
      const found = this.options.inventory.entities.flatMap((entity) => {
        const link = subjectLink(entity);
        const entry = entity.columns[field];
        return link && link.person === subject.type && entry?.rectifiable ? [{ entity, link, entry }] : [];
      });
      if (found.length !== 1) throw new RightsError('BAD_REQUEST', `"${field}" is not a field of this ${subject.type.toLowerCase()} that can be rectified here`);
      const { entity, link, entry } = found[0]!;
      targets.push({ entity, link, column: field, entry, value: this.rectifiedValue(entity, field, entry, fields[field]!) });
    }
    const key = this.fingerprintKey(tenantId);
    try {
      return await inTransaction(this.options.store, async (tx) => {
        const changed: RightsAnswers['rectify']['changed'] = [];
        for (const entity of new Set(targets.map((target) => target.entity))) {
          const mine = targets.filter((target) => target.entity === entity);
          const link = mine[0]!.link;
          const rows = await this.rows(tx, entity, tenantId, [link], subject.id, null, 2, true);
          if (rows.length === 0) throw new RightsError('NOT_FOUND', `No such ${subject.type.toLowerCase()} in this tenant`);
          await tx.getRepository(entity.schema).update({ [TENANT_COLUMN]: tenantId, [link.column]: subject.id }, Object.fromEntries(mine.map((target) => [target.column, target.value])));
          for (const target of mine) {
            const kind = target.entry.match ?? 'text';
            changed.push({ entity: entityName(entity), column: target.column, beforeHash: fingerprint(key, kind, rows[0]![target.column]), afterHash: fingerprint(key, kind, target.value) });
          }
        }
        return { changed };
      });
    } catch (error) {
      const code = String((error as { driverError?: { code?: unknown } }).driverError?.code ?? (error as { code?: unknown }).code ?? '');
      if (/^(ER_DUP_ENTRY|SQLITE_CONSTRAINT_UNIQUE)$/.test(code)) throw new RightsError('BAD_REQUEST', 'Another person of this tenant already has that value');
      throw error;
    }
  }

  /** Fingerprints of the person's own identifying values (columns marked `match` whose owner link is the person). */
  async fingerprints(tenantId: string, subject: PersonRef): Promise<RightsAnswers['fingerprints']> {
    const key = this.fingerprintKey(tenantId);
    const found = new Set<string>();
    for (const entity of this.options.inventory.entities) {
      const links = entity.links.filter((link) => link.person === subject.type);
      const owner = subjectLink(entity)?.column;
      const matched = Object.entries(entity.columns).filter(([, entry]) => entry.match && links.some((link) => link.column === (entry.of ?? owner)));
      if (matched.length === 0) continue;
      await this.scan(entity, tenantId, links, subject.id, (row) => {
        for (const [column, entry] of matched) {
          if (row[entry.of ?? owner!] !== subject.id) continue;
          const value = fingerprint(key, entry.match!, row[column]);
          if (value) found.add(value);
        }
      });
    }
    return { fingerprints: [...found].sort() };
  }

  /**
   * Which matched columns of the tenant's rows still hold a value with a listed fingerprint. A full
   * scan of every such column of every table of the tenant: a DPO's check after an erasure, not a
   * request path.
   */
  async sweep(tenantId: string, fingerprints: string[]): Promise<RightsAnswers['sweep']> {
    const wanted = new Set(fingerprints);
    const key = this.fingerprintKey(tenantId);
    const residue: RightsAnswers['sweep']['residue'] = [];
    for (const entity of this.options.inventory.entities) {
      const matched = Object.entries(entity.columns).filter(([, entry]) => entry.match) as [string, ColumnEntry & { match: MatchKind }][];
      if (matched.length === 0 || wanted.size === 0) continue;
      const hits = new Map<string, number>();
      await this.scan(entity, tenantId, [], '', (row) => {
        for (const [column, entry] of matched) {
          const value = fingerprint(key, entry.match, row[column]);
          if (value && wanted.has(value)) hits.set(column, (hits.get(column) ?? 0) + 1);
        }
      }, [PRIMARY_KEY, ...matched.map(([column]) => column)]);
      for (const [column, rows] of hits) residue.push({ entity: entityName(entity), column, rows });
    }
    return { residue };
  }

  /**
   * The tenants with rows in any inventoried table: a walk of the (tenantId, …) indexes that seeks
   * to the next tenant each time, so it costs one seek per tenant, never a scan of the rows.
   */
  async tenants(): Promise<RightsAnswers['tenants']> {
    const found = new Set<string>();
    for (const entity of this.options.inventory.entities) {
      let after: string | null = null;
      for (;;) {
        let query = this.options.store.manager.getRepository<Row>(entity.schema).createQueryBuilder('r').select(`r.${TENANT_COLUMN}`, 'tenantId');
        if (after !== null) query = query.where(`r.${TENANT_COLUMN} > :after`, { after });
        const next: { tenantId: string } | undefined = await query.orderBy(`r.${TENANT_COLUMN}`, 'ASC').limit(1).getRawOne();
        if (!next) break;
        found.add(String(next.tenantId));
        after = String(next.tenantId);
      }
    }
    return { tenantIds: [...found].sort() };
  }

  /**
   * One retention round in a tenant as of `now` (see the contract): each entity per its declared
   * retention, up to `limit` rows each, every entity's round in a transaction of its own.
   */
  async retain(tenantId: string, now: Date, limit: number): Promise<RightsAnswers['retain']> {
    const entities: RetentionCounts[] = [];
    const due: PersonRef[] = [];
    const expired: PersonRef[] = [];
    let more = false;
    for (const entity of this.options.inventory.entities) {
      const counts: RetentionCounts = { entity: entityName(entity), deleted: 0, closed: 0, drained: 0 };
      const retention = entity.retention;
      if (retention.kind === 'AGE') {
        const cutoff = new Date(now.getTime() - this.ageDays.get(entity)! * DAY_MS);
        counts.deleted = await inTransaction(this.options.store, async (tx) => {
          // Oldest first, through the (tenant, age column, id) index: each round reads only the rows it removes.
          const rows = await this.selectIds(tx, entity, tenantId, limit, (q) => q.andWhere(`r.${retention.column} < :cutoff`, { cutoff }), retention.column);
          if (rows.length) await tx.getRepository(entity.schema).delete({ [TENANT_COLUMN]: tenantId, [PRIMARY_KEY]: In(rows) });
          return rows.length;
        });
        more ||= counts.deleted === limit;
      } else if (retention.kind === 'ACCOUNT_CLOSED') {
        const { status, suspendedDays, days } = retention;
        const link = subjectLink(entity);
        const suspendedBefore = new Date(now.getTime() - suspendedDays * DAY_MS);
        counts.closed = await inTransaction(this.options.store, async (tx) => {
          const rows = await this.selectIds(tx, entity, tenantId, limit, (q) =>
            q.andWhere(`r.${status.column} = :suspended`, { suspended: status.suspended }).andWhere(`r.${status.since} <= :suspendedBefore`, { suspendedBefore }),
          );
          if (rows.length) await tx.getRepository(entity.schema).update({ [TENANT_COLUMN]: tenantId, [PRIMARY_KEY]: In(rows), [status.column]: status.suspended }, { [status.column]: status.closed, [status.since]: now });
          return rows.length;
        });
        more ||= counts.closed === limit;
        const closedBefore = new Date(now.getTime() - days * DAY_MS);
        const purgeable = await this.selectIds(this.options.store.manager, entity, tenantId, limit, (q) =>
          q.andWhere(`r.${status.column} = :closed`, { closed: status.closed }).andWhere(`r.${status.since} <= :closedBefore`, { closedBefore }),
        );
        if (link) for (const id of purgeable) due.push({ type: link.person, id });
        const closed = await this.selectIds(this.options.store.manager, entity, tenantId, limit, (q) => q.andWhere(`r.${status.column} = :closed`, { closed: status.closed }));
        if (link) for (const id of closed) expired.push({ type: link.person, id });
      }
      entities.push(counts);
    }
    for (const [hook, drain] of Object.entries(this.options.inventory.objectDrains ?? {})) {
      if (!this.options.inventory.objects?.[hook]) continue;
      const drained = await inTransaction(this.options.store, (tx) => drain.drain(tx, tenantId, now, limit));
      entities.push({ entity: drain.entity, deleted: 0, closed: 0, drained });
      more ||= drained === limit;
    }
    return { entities, due, more, expired };
  }

  /** Up to `limit` ids of the tenant's rows that `where` selects, in `orderBy` then key order. */
  private async selectIds(tx: EntityManager, entity: EntityInventory, tenantId: string, limit: number, where: (query: SelectQueryBuilder<Row>) => SelectQueryBuilder<Row>, orderBy?: string): Promise<string[]> {
    let query = where(tx.getRepository<Row>(entity.schema).createQueryBuilder('r').select(`r.${PRIMARY_KEY}`, 'id').where(`r.${TENANT_COLUMN} = :tenantId`, { tenantId }));
    if (orderBy) query = query.orderBy(`r.${orderBy}`, 'ASC').addOrderBy(`r.${PRIMARY_KEY}`, 'ASC');
    else query = query.orderBy(`r.${PRIMARY_KEY}`, 'ASC');
    const rows: { id: string }[] = await query.limit(limit).getRawMany();
    return rows.map((row) => String(row.id));
  }

  private entity(name: string): EntityInventory {
    const entity = this.entities.get(name);
    if (!entity) throw new RightsError('UNKNOWN_ENTITY', `${this.options.subgraph} holds no entity "${name}"`);
    return entity;
  }

  private linksTo(entity: EntityInventory, subject: PersonRef): PersonLink[] {
    return entity.links.filter((link) => link.person === subject.type);
  }

  private pseudonymKey(tenantId: string): Buffer {
    return this.pseudonymKeys.get(tenantId) ?? this.pseudonymKeys.set(tenantId, tenantPseudonymKey(this.options.pseudonymSecret, tenantId)).get(tenantId)!;
  }

  private fingerprintKey(tenantId: string): Buffer {
    return this.fingerprintKeys.get(tenantId) ?? this.fingerprintKeys.set(tenantId, fingerprintKey(this.options.pseudonymSecret, tenantId)).get(tenantId)!;
  }

  /** The tenant's rows linked to the person through any of `links` (all rows with no links), after a key, in key order. */
  private rows(tx: EntityManager, entity: EntityInventory, tenantId: string, links: PersonLink[], personId: string, after: string | null, limit: number, forUpdate = false, columns?: string[]): Promise<Row[]> {
    let query: SelectQueryBuilder<Row> = tx
      .getRepository<Row>(entity.schema)
      .createQueryBuilder('r')
      .where(`r.${TENANT_COLUMN} = :tenantId`, { tenantId });
    if (links.length > 0) query = query.andWhere(new Brackets((or) => links.forEach((link) => or.orWhere(`r.${link.column} = :personId`, { personId }))));
    if (after !== null) query = query.andWhere(`r.${PRIMARY_KEY} > :after`, { after });
    if (columns) query = query.select(columns.map((column) => `r.${column}`));
    // Rows being erased are locked until the page commits, so a concurrent run of the same page waits (MySQL; SQLite writes one at a time).
    if (forUpdate && this.options.store.options.type === 'mysql') query = query.setLock('pessimistic_write');
    return query.orderBy(`r.${PRIMARY_KEY}`, 'ASC').limit(limit).getMany();
  }

  private async scan(entity: EntityInventory, tenantId: string, links: PersonLink[], personId: string, visit: (row: Row) => void, columns?: string[]): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const rows = await this.rows(this.options.store.manager, entity, tenantId, links, personId, after, SCAN_BATCH, false, columns);
      rows.forEach(visit);
      if (rows.length < SCAN_BATCH) return;
      after = String(rows[rows.length - 1]![PRIMARY_KEY]);
    }
  }

  /** Per row: deleted if any link to the person deletes it; else kept anonymized, or only unlinked. */
  private plan(entity: EntityInventory, tenantId: string, subject: PersonRef, links: PersonLink[], rows: Row[]): ErasurePlan {
    const name = entityName(entity);
    const plan: ErasurePlan = { counts: zeroCounts(name), deletes: [], updates: new Map(), objects: new Map() };
    const objectColumns = Object.entries(entity.columns).filter(([, entry]) => entry.object);
    for (const row of rows) {
      const id = String(row[PRIMARY_KEY]);
      const matched = links.filter((link) => row[link.column] === subject.id);
      if (matched.length === 0) continue;
      const effect = matched.some((link) => link.onErase === 'DELETE_ROW') ? 'DELETE_ROW' : matched.some((link) => link.onErase === 'ANONYMIZE') ? 'ANONYMIZE' : 'UNLINK';
      if (effect !== 'UNLINK') {
        for (const [column, entry] of objectColumns) {
          const value = row[column];
          if (value === null || value === undefined || value === '') continue;
          plan.counts.objects += 1;
          const refs = plan.objects.get(entry.object!) ?? plan.objects.set(entry.object!, []).get(entry.object!)!;
          refs.push({ rowId: id, value: String(value) });
        }
      }
      if (effect === 'DELETE_ROW') {
        plan.counts.deleted += 1;
        plan.deletes.push(id);
        continue;
      }
      const set: Row = {};
      if (effect === 'ANONYMIZE') {
        plan.counts.anonymized += 1;
        for (const [column, entry] of Object.entries(entity.columns)) {
          if (!entry.category) continue;
          const erase = columnErasure(entry);
          if (erase === 'KEEP') continue;
          set[column] = erase === 'NULL' ? null : erase === 'PSEUDONYMIZE' ? personPseudonym(subject.id, `${name}.${column}`, this.pseudonymKey(tenantId)) : erase.replaceWith;
        }
      } else {
        plan.counts.unlinked = (plan.counts.unlinked ?? 0) + 1;
      }
      for (const link of matched) {
        set[link.column] = link.linkErasure === 'PSEUDONYMIZE' ? personPseudonym(subject.id, `${name}.${link.column}`, this.pseudonymKey(tenantId)) : null;
        for (const derived of link.derived ?? []) set[derived] = null;
      }
      for (const [column, value] of Object.entries(set)) if (!sameValue(row[column], value)) plan.counts.values += 1;
      const group = JSON.stringify(set);
      const update = plan.updates.get(group) ?? plan.updates.set(group, { set, ids: [] }).get(group)!;
      update.ids.push(id);
    }
    return plan;
  }

  /** A corrected value as the column holds it, or BAD_REQUEST. */
  private rectifiedValue(entity: EntityInventory, column: string, entry: ColumnEntry, input: string | null): string | null {
    const options = (entity.schema.options.columns as Record<string, { nullable?: boolean; length?: number | string }>)[column]!;
    const value = input === null ? null : input.normalize('NFKC').trim() || null;
    if (value === null) {
      if (!options.nullable) throw new RightsError('BAD_REQUEST', `"${column}" cannot be empty`);
      return null;
    }
    let stored = value;
    if (entry.match === 'phone') {
      stored = value.replace(/[\s\-().]/g, '');
      if (!E164.test(stored)) throw new RightsError('BAD_REQUEST', `"${column}" must be a phone number in E.164 form, e.g. +14155550123`);
    } else if (entry.match === 'email') {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(stored)) throw new RightsError('BAD_REQUEST', `"${column}" must be an email address`);
    } else if (/[\u0000-\u001f\u007f]/.test(stored)) {
      throw new RightsError('BAD_REQUEST', `"${column}" must not contain control characters`);
    }
    if (options.length !== undefined && stored.length > Number(options.length)) throw new RightsError('BAD_REQUEST', `"${column}" is longer than ${options.length} characters`);
    return stored;
  }
}

const exported = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value === undefined ? null : value);
