import { classesOf, type RelatingCaller, type SubjectClass, type SubjectSpec } from './subject';

/**
 * The channel side of the engine in SQL: which rows a caller may match, count, follow a link to
 * or order by a field, as a condition over the row's subject columns. The engine decides per
 * class of subject (subject.ts); this file only writes those classes down for the store.
 */

/** Rows selected by the decisions of their subject class. */
export type RowCondition = { kind: 'all' } | { kind: 'none' } | { kind: 'classes'; classes: readonly SubjectClass[] };

export const ALL_ROWS: RowCondition = { kind: 'all' };
export const NO_ROWS: RowCondition = { kind: 'none' };

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

export const TRUE_SQL: SqlCondition = { sql: '1 = 1', params: {} };
export const FALSE_SQL: SqlCondition = { sql: '1 = 0', params: {} };

/** The classes that pass, as a condition (all or none when that is what they amount to). */
export function conditionOf(spec: SubjectSpec, caller: RelatingCaller, partnerInstaller: string | undefined, passes: (cls: SubjectClass) => boolean): RowCondition {
  const classes = classesOf(spec, caller, partnerInstaller);
  const passing = classes.filter(passes);
  if (passing.length === 0) return NO_ROWS;
  if (passing.length === classes.length) return ALL_ROWS;
  return { kind: 'classes', classes: passing };
}

/** Parameter names are fixed per request (their values are the caller's own), so conditions can be combined freely. */
const USER = 'privacyCallerUser';
const TEAM = 'privacyCallerTeam';
const INSTALLER = 'privacyInstaller';

function classSql(cls: SubjectClass, spec: SubjectSpec, alias: string, caller: RelatingCaller, partnerInstaller: string | undefined): string {
  const parts: string[] = [];
  const user = spec.relatedUser ? `${alias}.${spec.relatedUser}` : undefined;
  const team = spec.team ? `${alias}.${spec.team}` : undefined;
  const notSelf = user && classesOf(spec, caller).some((c) => c.relation === 'SELF') ? `(${user} IS NULL OR ${user} <> :${USER})` : undefined;
  const teamPossible = team && caller.teamId;
  if (cls.relation === 'SELF') parts.push(`${user} = :${USER}`);
  if (cls.relation === 'SAME_TEAM') parts.push(...(notSelf ? [notSelf] : []), `${team} = :${TEAM}`);
  if (cls.relation === 'SAME_TENANT') parts.push(...(notSelf ? [notSelf] : []), ...(teamPossible ? [`(${team} IS NULL OR ${team} <> :${TEAM})`] : []));
  if (spec.installer && partnerInstaller) {
    const installer = `${alias}.${spec.installer}`;
    parts.push(cls.installer ? `${installer} = :${INSTALLER}` : `(${installer} IS NULL OR ${installer} <> :${INSTALLER})`);
  }
  if (spec.counterpart) parts.push(`${alias}.${spec.counterpart.column} IS ${cls.hasCounterpart ? 'NOT NULL' : 'NULL'}`);
  if (spec.person.optional) parts.push(`${alias}.${spec.person.column} IS ${cls.hasPerson ? 'NOT NULL' : 'NULL'}`);
  return parts.length === 0 ? '1 = 1' : parts.join(' AND ');
}

/** A row condition as SQL over `alias`, with the caller's values as parameters. */
export function renderCondition(condition: RowCondition, spec: SubjectSpec, alias: string, caller: RelatingCaller, partnerInstaller?: string): SqlCondition {
  if (condition.kind === 'all') return TRUE_SQL;
  if (condition.kind === 'none') return FALSE_SQL;
  const sql = condition.classes.map((cls) => `(${classSql(cls, spec, alias, caller, partnerInstaller)})`).join(' OR ');
  const params: Record<string, unknown> = { [USER]: caller.userId };
  if (caller.teamId) params[TEAM] = caller.teamId;
  if (partnerInstaller) params[INSTALLER] = partnerInstaller;
  return { sql: `(${sql})`, params };
}

/** How a list may be ordered by a field, given what the caller sees of it (decided by the engine). */
export type OrderPlan =
  /** Everyone in the list shows it in full: its true order. */
  | { kind: 'value' }
  /** Every row shows it only truncated (a date to the hour or day): the order of what is shown. */
  | { kind: 'truncate'; unit: 'hour' | 'day' }
  /** Some rows show it in full: those first in true order, the others after them in id order. */
  | { kind: 'mixed'; full: RowCondition }
  /** No row shows it in a form that can be ordered: id order, which means nothing. */
  | { kind: 'none' };

export type SqlDialect = 'sqlite' | 'mysql';

/** A date column truncated to the hour or day, as the same text on both stores. */
export function truncatedDateSql(dialect: SqlDialect, column: string, unit: 'hour' | 'day'): string {
  if (dialect === 'sqlite') return `substr(${column}, 1, ${unit === 'hour' ? 13 : 10})`;
  return `DATE_FORMAT(${column}, '${unit === 'hour' ? '%Y-%m-%d %H' : '%Y-%m-%d'}')`;
}
