import type { EntitySchema, ObjectLiteral } from 'typeorm';
import { badUserInput } from '../../platform/errors';
import { conditionKey, NO_ROWS, truncatedDateSql, type OrderPlan, type RowCondition } from '../../privacy/enforcement/row-sql';
import type { ConsentSubjectType } from '../../privacy/store/entities';
import type { Filter, OrderTerm, PageQuery, TenantScope } from './tenant-scope';

/**
 * A list the API serves, declared once per subgraph: which rows, ordered how, reached through
 * which link, filtered by which range. Everything a list reveals besides its rows' fields — which
 * rows match, how many there are, their order, and its cursors — is planned here from the
 * privacy engine's answers, never by a resolver.
 */
export interface ListSpec<T extends ObjectLiteral = ObjectLiteral> {
  entity: EntitySchema<T>;
  /** The GraphQL type of the rows: its subject declaration and personal fields govern the list. */
  type: string;
  /** The field the list is ordered by (a column of the entity), then id in the same direction. */
  sort: { field: string; direction: 'ASC' | 'DESC' };
  /** A child list: the rows' column holding the parent's id, and the link field of the row type the list follows. */
  parent?: {
    column: string;
    /** Following the list is following this link of every row: a row is listed only where the caller sees it. */
    link?: string;
    /** Every row is about the parent itself (a user's calls, a user's pings): that person's consents count exactly. */
    isPerson?: ConsentSubjectType;
  };
  /** The field `from` / `to` range over. */
  range?: string;
}

/** What a request asks of a list. */
export interface ListWindow {
  first: number;
  /** The cursor as the client sent it; opened here, for this caller and list only. */
  after?: string;
  from?: Date;
  to?: Date;
  /** A filter the resolver adds (a search), already built through the engine's conditions. */
  filter?: Filter;
}

/** A list's statement plan: what matches, in what order, and the name its cursors are bound to. */
export interface ListPlan {
  query: PageQuery;
  /** The engine rules out every row: nothing to ask the store. */
  empty: boolean;
  /** Filter without order or cursor, for totalCount: it counts exactly the rows one can page through. */
  countFilter?: Filter;
  listKey: string;
  /** A stable text of the plan, so parents with equal plans share one statement. */
  signature: string;
}

const SENTINEL: Record<string, string> = { datetime: "'1000-01-01 00:00:00'", default: "''" };

function orderTerms(scope: TenantScope, spec: ListSpec, plan: OrderPlan): OrderTerm[] {
  const column = spec.sort.field;
  switch (plan.kind) {
    case 'value':
      return [{ sql: (a) => `${a}.${column}` }];
    case 'truncate':
      return [{ sql: (a) => truncatedDateSql(scope.dialect, `${a}.${column}`, plan.unit) }];
    case 'none':
      return [];
    case 'mixed': {
      const privacy = scope.privacy!;
      const type = scope.dataSource.getMetadata(spec.entity).findColumnWithPropertyName(column)?.type;
      const sentinel = SENTINEL[String(type)] ?? SENTINEL.default!;
      // Rows shown in full first (in the list's direction), in true order; the rest after, by id.
      const [shownFirst, restAfter] = spec.sort.direction === 'ASC' ? [0, 1] : [1, 0];
      const condition = (a: string) => privacy.sql(spec.type, plan.full, a);
      return [
        { sql: (a) => `CASE WHEN ${condition(a).sql} THEN ${shownFirst} ELSE ${restAfter} END`, params: condition('e').params },
        { sql: (a) => `CASE WHEN ${condition(a).sql} THEN ${a}.${column} ELSE ${sentinel} END`, params: condition('e').params },
      ];
    }
  }
}

/** A condition of the engine as a filter, written for whatever alias the statement gives the rows. */
const where = (scope: TenantScope, type: string, condition: RowCondition): Filter => (qb, alias) => {
  const { sql, params } = scope.privacy!.sql(type, condition, alias);
  qb.andWhere(sql, params);
};

function both(...filters: (Filter | undefined)[]): Filter | undefined {
  const present = filters.filter((f): f is Filter => f !== undefined);
  if (present.length === 0) return undefined;
  return (qb, alias) => {
    for (const filter of present) filter(qb, alias);
  };
}

/** The name a list's cursors are bound to: the rows' type, and for a child list its parent. */
export const listKeyOf = (spec: ListSpec, parentId?: string): string => (parentId === undefined ? spec.type : `${spec.type}.${spec.parent?.column}:${parentId}`);

/**
 * Plans one list for one request (and, for a child list, one parent): the engine's conditions on
 * the link and the range, its order plan, and the opened cursor. A cursor that does not open for
 * this caller and list is BAD_USER_INPUT, whatever it holds.
 */
export async function planList(scope: TenantScope, spec: ListSpec, window: ListWindow, parentId?: string): Promise<ListPlan> {
  const listKey = listKeyOf(spec, parentId);
  let afterId: string | undefined;
  if (window.after !== undefined) {
    afterId = scope.cursors.open(listKey, window.after);
    if (afterId === undefined) throw badUserInput('Argument "after" is not a valid cursor', 'after');
  }
  const privacy = scope.privacy;
  const person = spec.parent?.isPerson && parentId ? { type: spec.parent.isPerson, id: parentId } : undefined;
  const conditions: RowCondition[] = [];
  let plan: OrderPlan = { kind: 'value' };
  if (privacy) {
    // Following a link: only rows whose link the caller is shown.
    const linked = spec.parent?.link ? await privacy.rowsShowing(spec.type, spec.parent.link, 'SHOWN', person) : undefined;
    if (linked) conditions.push(linked);
    // A range matches only values the caller sees in full.
    if (spec.range && (window.from || window.to)) conditions.push(await privacy.rowsShowing(spec.type, spec.range, 'FULL', person));
    // Ordered among the rows it can hold: those whose link is shown.
    plan = await privacy.orderPlan(spec.type, spec.sort.field, person, linked);
  }
  const range: Filter | undefined =
    spec.range && (window.from || window.to)
      ? (qb, alias) => {
          if (window.from) qb.andWhere(`${alias}.${spec.range} >= :rangeFrom`, { rangeFrom: window.from });
          if (window.to) qb.andWhere(`${alias}.${spec.range} < :rangeTo`, { rangeTo: window.to });
        }
      : undefined;
  const restrictive = conditions.filter((c) => c.kind !== 'all');
  const privacyFilter = both(...(restrictive.some((c) => c.kind === 'none') ? [NO_ROWS] : restrictive).map((c) => where(scope, spec.type, c)));
  const filter = both(privacyFilter, range, window.filter);
  const order = orderTerms(scope, spec, plan);
  const split =
    plan.kind === 'mixed'
      ? { shown: (alias: string) => privacy!.sql(spec.type, plan.full, alias), rest: (alias: string) => privacy!.sql(spec.type, plan.rest, alias), order: [{ sql: (a: string) => `${a}.${spec.sort.field}` }] }
      : undefined;
  const signature = `${restrictive.map(conditionKey).join('|')}#${conditionKey(plan)}#${afterId ?? ''}`;
  const empty = restrictive.some((c) => c.kind === 'none');
  return { query: { first: window.first, afterId, order, direction: spec.sort.direction, filter, split }, countFilter: filter, listKey, signature, empty };
}

/**
 * A filter that matches a row when `compare` holds for one of `fields` — counting a field of a
 * row only where the caller is shown that field of that row in full. A search, a lookup or a
 * filter therefore never finds a row by a value the caller could not read there. `narrow`, if
 * given, is a further condition over the fields that may match (an index look-up that finds the
 * candidate rows); it may only narrow, the per-field condition still decides.
 */
export async function matchOnFields(
  scope: TenantScope,
  type: string,
  fields: readonly string[],
  compare: (column: string, field: string, alias: string) => string,
  params: Record<string, unknown>,
  narrow?: (alias: string, fields: readonly string[]) => string,
): Promise<Filter> {
  const privacy = scope.privacy;
  const readable = await Promise.all(fields.map(async (field) => ({ field, rows: privacy ? await privacy.rowsShowing(type, field, 'FULL') : ({ kind: 'all' } as RowCondition) })));
  return (qb, alias) => {
    const clauses: string[] = [];
    const all: Record<string, unknown> = { ...params };
    const matchable = readable.filter(({ rows }) => rows.kind !== 'none');
    if (narrow && matchable.length > 0) qb.andWhere(narrow(alias, matchable.map(({ field }) => field)), params);
    for (const { field, rows } of matchable) {
      const match = compare(`${alias}.${field}`, field, alias);
      if (rows.kind === 'all') clauses.push(match);
      else {
        const condition = privacy!.sql(type, rows, alias);
        Object.assign(all, condition.params);
        clauses.push(`(${condition.sql} AND ${match})`);
      }
    }
    qb.andWhere(clauses.length === 0 ? '1 = 0' : `(${clauses.join(' OR ')})`, all);
  };
}
