import DataLoader from 'dataloader';
import type { EntitySchema, ObjectLiteral } from 'typeorm';
import { toConnection, type Connection, type CursorKey } from './pagination';
import type { Filter, SortKey, TenantScope } from './tenant-scope';

/**
 * Per-request loaders: every entity reference and every list relation goes through one of these,
 * so a request costs one statement per kind of data, whatever the number of rows.
 */

/** Rows by a unique column (usually id); a missing or foreign-tenant row loads as null. */
export function rowLoader<T extends ObjectLiteral>(
  scope: TenantScope,
  entity: EntitySchema<T>,
  column = 'id',
): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const rows = await scope.findByColumn(entity, column, keys);
    const byKey = new Map(rows.map((row) => [String(row[column]), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** The window of a child list: everything but the parent is shared by the keys of one batch. */
export interface ChildWindow {
  first: number;
  after?: CursorKey;
  from?: Date;
  to?: Date;
}

export interface ChildKey extends ChildWindow {
  parentId: string;
}

function windowKey({ first, after, from, to }: ChildWindow): string {
  return JSON.stringify([first, after ?? null, from?.toISOString() ?? null, to?.toISOString() ?? null]);
}

function groupByWindow<K extends ChildWindow & { parentId: string }>(keys: readonly K[]): Map<string, K[]> {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const id = windowKey(key);
    const group = groups.get(id);
    if (group) group.push(key);
    else groups.set(id, [key]);
  }
  return groups;
}

export interface ChildListSpec {
  parentColumn: string;
  sort: SortKey;
  /** Extra conditions derived from the window (e.g. a time range on the sort column). */
  filterFor?: (window: ChildWindow) => Filter | undefined;
}

/** First page (first + 1 rows, for look-ahead) of a child list per parent: one statement per window. */
export function childPageLoader<T extends ObjectLiteral>(
  scope: TenantScope,
  entity: EntitySchema<T>,
  spec: ChildListSpec,
): DataLoader<ChildKey, T[], string> {
  return new DataLoader(
    async (keys) => {
      const results = new Map<string, T[]>();
      for (const group of groupByWindow(keys).values()) {
        const window = group[0]!;
        const pages = await scope.pagesByParent(
          entity,
          spec.parentColumn,
          group.map((key) => key.parentId),
          { first: window.first, after: window.after, sort: spec.sort, filter: spec.filterFor?.(window) },
        );
        for (const key of group) results.set(childCacheKey(key), pages.get(key.parentId) ?? []);
      }
      return keys.map((key) => results.get(childCacheKey(key)) ?? []);
    },
    { cacheKeyFn: childCacheKey },
  );
}

/** Total rows of a child list per parent (the window's range applies, not its page). */
export function childCountLoader<T extends ObjectLiteral>(
  scope: TenantScope,
  entity: EntitySchema<T>,
  spec: ChildListSpec,
): DataLoader<ChildKey, number, string> {
  return new DataLoader(
    async (keys) => {
      const results = new Map<string, number>();
      for (const group of groupByWindow(keys.map((key) => ({ ...key, first: 0, after: undefined }))).values()) {
        const counts = await scope.countByParent(
          entity,
          spec.parentColumn,
          group.map((key) => key.parentId),
          spec.filterFor?.(group[0]!),
        );
        for (const key of group) results.set(countCacheKey(key), counts.get(key.parentId) ?? 0);
      }
      return keys.map((key) => results.get(countCacheKey(key)) ?? 0);
    },
    { cacheKeyFn: countCacheKey },
  );
}

function childCacheKey(key: ChildKey): string {
  return `${key.parentId}|${windowKey(key)}`;
}

function countCacheKey(key: ChildKey): string {
  return `${key.parentId}|${windowKey({ first: 0, from: key.from, to: key.to })}`;
}

/** Restricts a list to [from, to) on a date column. */
export function timeRange(column: string, from?: Date, to?: Date): Filter | undefined {
  if (!from && !to) return undefined;
  return (qb, alias) => {
    if (from) qb.andWhere(`${alias}.${column} >= :rangeFrom`, { rangeFrom: from });
    if (to) qb.andWhere(`${alias}.${column} < :rangeTo`, { rangeTo: to });
  };
}

/** A child connection from the per-request loaders; the count is only run if asked for. */
export async function loadChildConnection<T>(
  pages: DataLoader<ChildKey, T[], string>,
  counts: DataLoader<ChildKey, number, string>,
  key: ChildKey,
  keyOf: (row: T) => CursorKey,
): Promise<Connection<T>> {
  const rows = await pages.load(key);
  return toConnection(rows, key.first, keyOf, () => counts.load(key));
}
