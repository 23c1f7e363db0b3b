import type { DataSource, EntityMetadata, EntitySchema, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { counterOf } from '../../platform/tenant-counters';
import type { CursorKey } from './pagination';

export interface SortKey {
  /** Property to order by; `id` is always the tie-breaker, in the same direction. */
  column: string;
  direction: 'ASC' | 'DESC';
  /** How the cursor's sort value is compared with the column. */
  kind: 'string' | 'date';
}

export type Filter = (qb: SelectQueryBuilder<ObjectLiteral>, alias: string) => void;

export interface PageQuery {
  first: number;
  after?: CursorKey;
  sort: SortKey;
  filter?: Filter;
}

/**
 * The one door to the data of a request: every query starts from `select()`, which is already
 * restricted to the caller's tenant. Resolvers and loaders never write a tenant condition
 * themselves, so no code path can forget it.
 */
export class TenantScope {
  constructor(
    readonly dataSource: DataSource,
    readonly tenantId: string,
  ) {}

  select<T extends ObjectLiteral>(entity: EntitySchema<T>, alias: string): SelectQueryBuilder<T> {
    const tenantColumn = tenantColumnOf(this.dataSource.getMetadata(entity));
    return this.dataSource
      .createQueryBuilder<T>(entity, alias)
      .where(`${alias}.${tenantColumn} = :scopeTenantId`, { scopeTenantId: this.tenantId });
  }

  /** Rows whose `column` is one of `values`, in one statement. */
  async findByColumn<T extends ObjectLiteral>(entity: EntitySchema<T>, column: string, values: readonly string[]): Promise<T[]> {
    if (values.length === 0) return [];
    return this.select(entity, 'e').andWhere(`e.${column} IN (:...values)`, { values: [...new Set(values)] }).getMany();
  }

  /** One page of a tenant-wide list, ordered by `sort` then id, with one row of look-ahead. */
  async page<T extends ObjectLiteral>(entity: EntitySchema<T>, query: PageQuery): Promise<T[]> {
    const qb = this.select(entity, 'e');
    query.filter?.(qb as unknown as SelectQueryBuilder<ObjectLiteral>, 'e');
    applyKeyset(qb as unknown as SelectQueryBuilder<ObjectLiteral>, 'e', query.sort, query.after);
    return qb
      .orderBy(`e.${query.sort.column}`, query.sort.direction)
      .addOrderBy('e.id', query.sort.direction)
      .take(query.first + 1)
      .getMany();
  }

  /**
   * The first page of a child list for many parents in ONE statement: rows are ranked per parent
   * with ROW_NUMBER() and the top `first + 1` of each are kept. Returns rows grouped by parent id,
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
    const { column, direction } = query.sort;
    const ranked = this.select(entity, 'r')
      .select('r.id', 'id')
      .addSelect(`ROW_NUMBER() OVER (PARTITION BY r.${parentColumn} ORDER BY r.${column} ${direction}, r.id ${direction})`, 'rn')
      .andWhere(`r.${parentColumn} IN (:...parentIds)`, { parentIds: [...new Set(parentIds)] });
    query.filter?.(ranked as unknown as SelectQueryBuilder<ObjectLiteral>, 'r');
    applyKeyset(ranked as unknown as SelectQueryBuilder<ObjectLiteral>, 'r', query.sort, query.after);

    const rows = await this.select(entity, 'e')
      .andWhere(`e.id IN (SELECT ranked.id FROM (${ranked.getQuery()}) ranked WHERE ranked.rn <= :pageLimit)`)
      .setParameters({ ...ranked.getParameters(), pageLimit: query.first + 1 })
      .orderBy(`e.${column}`, direction)
      .addOrderBy('e.id', direction)
      .getMany();
    for (const row of rows) {
      const parent = String(row[parentColumn]);
      const list = grouped.get(parent);
      if (list) list.push(row);
      else grouped.set(parent, [row]);
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
    // Unfiltered, a counted entity answers from its tenant's counter row (platform/tenant-counters.ts).
    const counter = filter ? undefined : counterOf(entity);
    if (counter) return (await this.select(counter, 'n').getOne())?.total ?? 0;
    const qb = this.select(entity, 'e');
    filter?.(qb as unknown as SelectQueryBuilder<ObjectLiteral>, 'e');
    return qb.getCount();
  }
}

/** Every entity carries `tenantId`; the tenant itself is owned by the tenant whose id it is. */
function tenantColumnOf(metadata: EntityMetadata): string {
  if (metadata.findColumnWithPropertyName('tenantId')) return 'tenantId';
  if (metadata.name === 'Tenant') return 'id';
  throw new Error(`${metadata.name} has no tenantId column and cannot be scoped`);
}

/** Keyset pagination: rows strictly after the cursor's (sort value, id) in the sort direction. */
function applyKeyset(qb: SelectQueryBuilder<ObjectLiteral>, alias: string, sort: SortKey, after?: CursorKey): void {
  if (!after) return;
  const [value, id] = after;
  const op = sort.direction === 'ASC' ? '>' : '<';
  const sortValue = sort.kind === 'date' ? new Date(String(value)) : value;
  // The leading `>=` (or `<=`) bound is implied by the OR, but only it lets the planner seek the
  // (sort column, id) index to the cursor; without it a later page walks from the first row.
  qb.andWhere(
    `${alias}.${sort.column} ${op}= :cursorValue AND (${alias}.${sort.column} ${op} :cursorValue OR (${alias}.${sort.column} = :cursorValue AND ${alias}.id ${op} :cursorId))`,
    { cursorValue: sortValue, cursorId: id },
  );
}
