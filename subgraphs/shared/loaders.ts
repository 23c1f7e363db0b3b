import DataLoader from 'dataloader';
import type { EntitySchema, ObjectLiteral } from 'typeorm';
import { listKeyOf, planList, type ListPlan, type ListSpec } from './lists';
import { toConnection, type Connection } from './pagination';
import type { TenantScope } from './tenant-scope';

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

/** One parent's page of a child list: everything but the parent can be shared by the keys of a batch. */
export interface ChildKey {
  parentId: string;
  first: number;
  /** The client's cursor, opened per parent (a cursor is bound to one parent's list). */
  after?: string;
  from?: Date;
  to?: Date;
}

const windowKey = ({ first, after, from, to }: ChildKey): string => JSON.stringify([first, after ?? null, from?.toISOString() ?? null, to?.toISOString() ?? null]);
const childCacheKey = (key: ChildKey): string => `${key.parentId}|${windowKey(key)}`;
const countCacheKey = (key: ChildKey): string => `${key.parentId}|${windowKey({ ...key, first: 0, after: undefined })}`;

/**
 * Plans every key (the engine may load the parents' consents: one batch for all of them), then
 * runs one statement per group of keys whose plans are equal.
 */
async function byPlan<R>(
  scope: TenantScope,
  spec: ListSpec,
  keys: readonly ChildKey[],
  run: (plan: ListPlan, parentIds: string[]) => Promise<Map<string, R>>,
  empty: R,
): Promise<(R | Error)[]> {
  const plans = await Promise.all(keys.map((key) => planList(scope, spec, key, key.parentId).catch((error: Error) => error)));
  const groups = new Map<string, { plan: ListPlan; indices: number[] }>();
  plans.forEach((plan, i) => {
    if (plan instanceof Error) return;
    const id = `${windowKey(keys[i]!)}|${plan.signature}`;
    const group = groups.get(id);
    if (group) group.indices.push(i);
    else groups.set(id, { plan, indices: [i] });
  });
  const results: (R | Error)[] = plans.map((plan) => (plan instanceof Error ? plan : empty));
  for (const { plan, indices } of groups.values()) {
    if (plan.empty) continue;
    const found = await run(plan, indices.map((i) => keys[i]!.parentId));
    for (const i of indices) results[i] = found.get(keys[i]!.parentId) ?? empty;
  }
  return results;
}

/** First page (first + 1 rows, for look-ahead) of a child list per parent. */
export function childPageLoader<T extends ObjectLiteral>(scope: TenantScope, spec: ListSpec<T>): DataLoader<ChildKey, T[], string> {
  const parentColumn = spec.parent!.column;
  return new DataLoader(
    (keys) => byPlan<T[]>(scope, spec as ListSpec, keys, (plan, parents) => scope.pagesByParent(spec.entity, parentColumn, parents, plan.query), []),
    { cacheKeyFn: childCacheKey },
  );
}

/** Rows of a child list per parent that the caller can page through (the window's range applies, not its page). */
export function childCountLoader<T extends ObjectLiteral>(scope: TenantScope, spec: ListSpec<T>): DataLoader<ChildKey, number, string> {
  const parentColumn = spec.parent!.column;
  return new DataLoader(
    (keys) =>
      byPlan<number>(
        scope,
        spec as ListSpec,
        keys.map((key) => ({ ...key, first: 0, after: undefined })),
        (plan, parents) => scope.countByParent(spec.entity, parentColumn, parents, plan.countFilter),
        0,
      ),
    { cacheKeyFn: countCacheKey },
  );
}

/** A child connection from the per-request loaders; the count is only run if asked for. */
export async function loadChildConnection<T extends { id: string }>(
  scope: TenantScope,
  spec: ListSpec<T>,
  pages: DataLoader<ChildKey, T[], string>,
  counts: DataLoader<ChildKey, number, string>,
  key: ChildKey,
): Promise<Connection<T>> {
  const rows = await pages.load(key);
  const listKey = listKeyOf(spec as ListSpec, key.parentId);
  return toConnection(rows, key.first, (row) => scope.cursors.seal(listKey, row.id), () => counts.load(key));
}

/** A tenant-wide list (a root field), planned like every other list. */
export async function loadRootConnection<T extends { id: string }>(
  scope: TenantScope,
  spec: ListSpec<T>,
  window: { first: number; after?: string; filter?: ListPlan['query']['filter'] },
): Promise<Connection<T>> {
  const plan = await planList(scope, spec as ListSpec, window);
  const rows = plan.empty ? [] : await scope.page(spec.entity, plan.query);
  return toConnection(rows, window.first, (row) => scope.cursors.seal(plan.listKey, row.id), async () => (plan.empty ? 0 : scope.count(spec.entity, plan.countFilter)));
}
