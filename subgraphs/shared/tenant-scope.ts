import type { DataSource, EntityMetadata, EntitySchema, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { counterOf } from '../../platform/tenant-counters';
import type { RequestCursors } from '../../privacy/enforcement/cursors';
import type { PrivacyRequest } from '../../privacy/enforcement/request';
import type { SqlCondition, SqlDialect } from '../../privacy/enforcement/row-sql';

export type Filter = (qb: SelectQueryBuilder<ObjectLiteral>, alias: string) => void;

/** One expression a list is ordered by (the row id always follows as the tie-breaker). */
export interface OrderTerm {
  sql(alias: string): string;
  params?: Record<string, unknown>;
}

export interface PageQuery {
  first: number;
  /** The id of the last row of the previous page (from an opened cursor). */
  afterId?: string;
  order: readonly OrderTerm[];
  direction: 'ASC' | 'DESC';
  filter?: Filter;
  /**
   * The same order as `order` in two parts, for a list some of whose rows show the sort field in
   * full (the rest follow by id): those rows in `order` of the value, then the others by id. A
   * tenant-wide page reads each part with its own statement, so each walks an index in order
   * instead of sorting the whole tenant by a CASE expression.
   */
  split?: { shown: (alias: string) => SqlCondition; rest: (alias: string) => SqlCondition; order: readonly OrderTerm[] };
}

/**
 * The one door to the data of a request: every query starts from `select()`, which is already
 * restricted to the caller's tenant. Resolvers and loaders never write a tenant condition
 * themselves, so no code path can forget it. It also carries the request's privacy engine (absent
 * only when enforcement is off to measure its cost) and cursor sealer, which every list uses.
 */
export class TenantScope {
  readonly dialect: SqlDialect;

  constructor(
    readonly dataSource: DataSource,
    readonly tenantId: string,
    readonly cursors: RequestCursors,
    readonly privacy?: PrivacyRequest,
  ) {
    this.dialect = dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
  }

  select<T extends ObjectLiteral>(entity: EntitySchema<T>, alias: string): SelectQueryBuilder<T> {
    const tenantColumn = tenantColumnOf(this.dataSource.getMetadata(entity));
    return this.dataSource
      .createQueryBuilder<T>(entity, alias)
      .where(`${alias}.${tenantColumn} = :scopeTenantId`, { scopeTenantId: this.tenantId });
  }

  /**
   * Sets `set` on the tenant's rows that match every column of `where`: the one write path, with the
   * tenant condition added here like every read's. Answers how many rows changed.
   */
  async update<T extends ObjectLiteral>(entity: EntitySchema<T>, where: Record<string, unknown>, set: Partial<T>): Promise<number> {
    const tenantColumn = tenantColumnOf(this.dataSource.getMetadata(entity));
    const qb = this.dataSource.createQueryBuilder().update(entity).set(set as never).where(`${tenantColumn} = :scopeTenantId`, { scopeTenantId: this.tenantId });
    for (const [column, value] of Object.entries(where)) qb.andWhere(`${column} = :where_${column}`, { [`where_${column}`]: value });
    return (await qb.execute()).affected ?? 0;
  }

  /** Rows whose `column` is one of `values`, in one statement. */
  async findByColumn<T extends ObjectLiteral>(entity: EntitySchema<T>, column: string, values: readonly string[]): Promise<T[]> {
    if (values.length === 0) return [];
    return this.select(entity, 'e').andWhere(`e.${column} IN (:...values)`, { values: [...new Set(values)] }).getMany();
  }

  /** One page of a tenant-wide list, in the query's order then id, with one row of look-ahead. */
  async page<T extends ObjectLiteral>(entity: EntitySchema<T>, query: PageQuery): Promise<T[]> {
    if (query.split) return this.splitPage(entity, query, query.split);
    const qb = this.select(entity, 'e') as unknown as SelectQueryBuilder<ObjectLiteral>;
    query.filter?.(qb, 'e');
    this.applyKeyset(qb, entity, 'e', query);
    this.applyOrder(qb, 'e', query);
    return (qb.take(query.first + 1) as unknown as SelectQueryBuilder<T>).getMany();
  }

  /** A page of a split order: rows that show the value, in its order, then the rest by id (see PageQuery.split). */
  private async splitPage<T extends ObjectLiteral>(entity: EntitySchema<T>, query: PageQuery, split: NonNullable<PageQuery['split']>): Promise<T[]> {
    const shownAt = (alias: string) => split.shown(alias);
    // Which part the cursor's row is in, read by its id (the cursor holds nothing else).
    let afterShown = query.afterId === undefined;
    if (query.afterId !== undefined) {
      const probe = this.select(entity, 'c').select('c.id', 'id').andWhere('c.id = :probeId', { probeId: query.afterId }).andWhere(shownAt('c').sql, shownAt('c').params);
      afterShown = (await probe.getRawOne()) !== undefined;
    }
    const rows: T[] = [];
    if (afterShown) {
      const shown = this.select(entity, 'e') as unknown as SelectQueryBuilder<ObjectLiteral>;
      query.filter?.(shown, 'e');
      shown.andWhere(shownAt('e').sql, shownAt('e').params);
      const ordered: PageQuery = { ...query, order: split.order, split: undefined };
      this.applyKeyset(shown, entity, 'e', ordered);
      this.applyOrder(shown, 'e', ordered);
      rows.push(...((await shown.take(query.first + 1).getMany()) as T[]));
      if (rows.length > query.first) return rows;
    }
    // The rest, by id: a row there shows nothing to order by (the engine's classes part the rows exactly).
    const rest = this.select(entity, 'e') as unknown as SelectQueryBuilder<ObjectLiteral>;
    query.filter?.(rest, 'e');
    const restCondition = split.rest('e');
    rest.andWhere(restCondition.sql, restCondition.params);
    if (!afterShown) rest.andWhere(`e.id ${query.direction === 'ASC' ? '>' : '<'} :cursorId`, { cursorId: query.afterId });
    rest.orderBy('e.id', query.direction);
    rows.push(...((await rest.take(query.first + 1 - rows.length).getMany()) as T[]));
    return rows;
  }

  /**
   * The first page of a child list for many parents, in one statement per hundred parents: each parent's top
   * `first + 1` rows in the list's order, read by a subquery of its own with its own LIMIT, the
   * subqueries joined by UNION ALL. Each walks the (tenant, parent, order) index and stops at its
   * limit, so the work is that of the rows returned however many rows a parent holds (ranking
   * every row of the parents with ROW_NUMBER() read them all). Returns rows grouped by parent id,
   * in page order.
   */
  async pagesByParent<T extends ObjectLiteral>(
    entity: EntitySchema<T>,
    parentColumn: string,
    parentIds: readonly string[],
    query: PageQuery,
  ): Promise<Map<string, T[]>> {
    const grouped = new Map<string, T[]>();
    if (parentIds.length === 0) return grouped;
    // One parent's page, written once; each parent's copy differs only in its parameter's name.
    const onePage = this.select(entity, 'r').select('r.id', 'id').andWhere(`r.${parentColumn} = :pageParent`) as unknown as SelectQueryBuilder<ObjectLiteral>;
    query.filter?.(onePage, 'r');
    this.applyKeyset(onePage, entity, 'r', query);
    this.applyOrder(onePage, 'r', query);
    onePage.limit(query.first + 1);
    const text = onePage.getQuery();
    const shared = onePage.getParameters();
    // Every copy binds its own values: a statement stays under the stores' limits on bound values
    // (SQLite 32,766, MySQL 65,535) and SQLite's 500 terms of a compound select.
    const perPage = boundValues(text, shared);
    const chunk = Math.max(1, Math.min(MAX_PARENTS_PER_STATEMENT, Math.floor(MAX_BOUND_VALUES / perPage)));
    const parents = [...new Set(parentIds)];
    for (let start = 0; start < parents.length; start += chunk) {
      const parameters: Record<string, unknown> = { ...shared };
      const union = parents
        .slice(start, start + chunk)
        .map((id, i) => {
          parameters[`pageParent${i}`] = id;
          return `SELECT p${i}.id FROM (${text.replace(/:pageParent\b/g, `:pageParent${i}`)}) p${i}`;
        })
        .join(' UNION ALL ');
      const outer = this.select(entity, 'e')
        .andWhere(`e.id IN (SELECT u.id FROM (${union}) u)`)
        .setParameters(parameters) as unknown as SelectQueryBuilder<ObjectLiteral>;
      this.applyOrder(outer, 'e', query);
      for (const row of (await outer.getMany()) as T[]) {
        const parent = String(row[parentColumn]);
        const list = grouped.get(parent);
        if (list) list.push(row);
        else grouped.set(parent, [row]);
      }
    }
    return grouped;
  }

  /** Row counts per parent id, in one statement. */
  async countByParent<T extends ObjectLiteral>(
    entity: EntitySchema<T>,
    parentColumn: string,
    parentIds: readonly string[],
    filter?: Filter,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (parentIds.length === 0) return counts;
    const qb = this.select(entity, 'e')
      .select(`e.${parentColumn}`, 'parent')
      .addSelect('COUNT(*)', 'n')
      .andWhere(`e.${parentColumn} IN (:...parentIds)`, { parentIds: [...new Set(parentIds)] })
      .groupBy(`e.${parentColumn}`);
    filter?.(qb as unknown as SelectQueryBuilder<ObjectLiteral>, 'e');
    for (const raw of await qb.getRawMany<{ parent: string; n: string | number }>()) {
      counts.set(String(raw.parent), Number(raw.n));
    }
    return counts;
  }

  async count<T extends ObjectLiteral>(entity: EntitySchema<T>, filter?: Filter): Promise<number> {
    // Unfiltered (every row of the tenant is one the caller can page through), a counted entity
    // answers from its tenant's counter row (platform/tenant-counters.ts) instead of a scan.
    const counter = filter ? undefined : counterOf(entity);
    if (counter) return (await this.select(counter, 'n').getOne())?.total ?? 0;
    const qb = this.select(entity, 'e');
    filter?.(qb as unknown as SelectQueryBuilder<ObjectLiteral>, 'e');
    return qb.getCount();
  }

  private applyOrder(qb: SelectQueryBuilder<ObjectLiteral>, alias: string, query: PageQuery): void {
    qb.orderBy();
    for (const term of query.order) {
      qb.addOrderBy(term.sql(alias), query.direction);
      if (term.params) qb.setParameters(term.params);
    }
    qb.addOrderBy(`${alias}.id`, query.direction);
  }

  /**
   * Keyset pagination: rows strictly after the cursor's row in the list's order. The cursor holds
   * only that row's id; its sort key is read in the same statement with the same expressions, so
   * the cursor itself never carries a value.
   */
  private applyKeyset(qb: SelectQueryBuilder<ObjectLiteral>, entity: EntitySchema<ObjectLiteral>, alias: string, query: PageQuery): void {
    if (query.afterId === undefined) return;
    const metadata = this.dataSource.getMetadata(entity);
    const table = this.dataSource.driver.escape(metadata.tableName);
    const tenantColumn = tenantColumnOf(metadata);
    const op = query.direction === 'ASC' ? '>' : '<';
    const ofCursorRow = (term: OrderTerm) => `(SELECT ${term.sql('cursor_row')} FROM ${table} cursor_row WHERE cursor_row.${tenantColumn} = :scopeTenantId AND cursor_row.id = :cursorId)`;
    let condition = `${alias}.id ${op} :cursorId`;
    for (const term of [...query.order].reverse()) {
      const here = term.sql(alias);
      const there = ofCursorRow(term);
      condition = `(${here} ${op} ${there} OR (${here} = ${there} AND ${condition}))`;
      if (term.params) qb.setParameters(term.params);
    }
    // A leading bound on the first key lets the planner seek to the cursor instead of walking the
    // index from the first row (the lexicographic condition alone hides it behind an OR).
    const [first] = query.order;
    if (first) condition = `${first.sql(alias)} ${op}= ${ofCursorRow(first)} AND ${condition}`;
    qb.andWhere(condition, { cursorId: query.afterId });
  }
}

/** Every entity carries `tenantId`; the tenant itself is owned by the tenant whose id it is. */
function tenantColumnOf(metadata: EntityMetadata): string {
  if (metadata.findColumnWithPropertyName('tenantId')) return 'tenantId';
  if (metadata.name === 'Tenant') return 'id';
  throw new Error(`${metadata.name} has no tenantId column and cannot be scoped`);
}

/** Parents whose pages one statement reads (pagesByParent): the batch a list's loader makes of one response's parents. */
const MAX_PARENTS_PER_STATEMENT = 100;
/** Bound values one statement may carry, well under both stores' limits. */
const MAX_BOUND_VALUES = 20_000;

/** How many values a statement's text binds: one per named parameter, a list's length for `:...name`. */
function boundValues(text: string, parameters: ObjectLiteral): number {
  let count = 0;
  for (const [, spread, name] of text.matchAll(/:(\.\.\.)?(\w+)/g)) {
    const value = parameters[name!];
    count += spread && Array.isArray(value) ? value.length : 1;
  }
  return Math.max(count, 1);
}
