import { classesOf, PeopleFacts, selfPossible, type RelatingCaller, type SubjectClass, type SubjectSpec } from './subject';

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

/**
 * An engine answer (a row condition or an order plan) as text, made once per answer object: the
 * engine hands every parent of a batch the same memoized answer, and answers key caches and batches.
 */
const conditionKeys = new WeakMap<RowCondition | OrderPlan, string>();
export function conditionKey(answer: RowCondition | OrderPlan): string {
  let key = conditionKeys.get(answer);
  if (key === undefined) conditionKeys.set(answer, (key = JSON.stringify(answer)));
  return key;
}

export const TRUE_SQL: SqlCondition = { sql: '1 = 1', params: {} };
export const FALSE_SQL: SqlCondition = { sql: '1 = 0', params: {} };

/** The classes that pass, as a condition (all or none when that is what they amount to). */
export function conditionOf(spec: SubjectSpec, caller: RelatingCaller, partnerInstaller: string | undefined, people: PeopleFacts, passes: (cls: SubjectClass) => boolean): RowCondition {
  const classes = classesOf(spec, caller, partnerInstaller, people);
  const passing = classes.filter(passes);
  if (passing.length === 0) return NO_ROWS;
  if (passing.length === classes.length) return ALL_ROWS;
  return { kind: 'classes', classes: passing };
}

/** Parameter names are fixed per request (their values are the caller's own), so conditions can be combined freely. */
const USER = 'privacyCallerUser';
const TEAM = 'privacyCallerTeam';
const INSTALLER = 'privacyInstaller';
const RESTRICTED = 'privacyRestricted';
const OBJECTED = 'privacyObjected';
const CHILD_BORN_AFTER = 'privacyChildBornAfter';
const EXPIRED = 'privacyExpired';
const EXPIRED_IDS = 'privacyExpiredId';

/** One named parameter per id (`IN (:p0, :p1, …)`), so the condition is plain SQL on both stores whatever runs it. */
const idList = (name: string, ids: readonly string[]): string => ids.map((_, i) => `:${name}${i}`).join(', ');

/** A person column in a set of ids, or not in it (a row about no one is in no set). */
function inSet(column: string, name: string, ids: readonly string[], member: boolean): string {
  return member ? `${column} IN (${idList(name, ids)})` : `(${column} IS NULL OR ${column} NOT IN (${idList(name, ids)}))`;
}

function classParts(cls: SubjectClass, spec: SubjectSpec, alias: string, caller: RelatingCaller, partnerInstaller: string | undefined, people: PeopleFacts, complements: Map<string, string>): string[] {
  const parts: string[] = [];
  // A fact that is true or false of every row: its two terms are complements (see mergeClasses).
  const binary = (fact: boolean, yes: string, no: string): string => {
    complements.set(yes, no).set(no, yes);
    return fact ? yes : no;
  };
  const user = spec.relatedUser ? `${alias}.${spec.relatedUser}` : undefined;
  const team = spec.team ? `${alias}.${spec.team}` : undefined;
  const notSelf = user && selfPossible(spec, caller) ? `(${user} IS NULL OR ${user} <> :${USER})` : undefined;
  const teamPossible = team && caller.teamId;
  // The relation is three classes, but each test in it is one of a complementary pair: SELF or not,
  // then (not SELF) the caller's team or not.
  if (notSelf) complements.set(`${user} = :${USER}`, notSelf).set(notSelf, `${user} = :${USER}`);
  if (teamPossible) complements.set(`${team} = :${TEAM}`, `(${team} IS NULL OR ${team} <> :${TEAM})`).set(`(${team} IS NULL OR ${team} <> :${TEAM})`, `${team} = :${TEAM}`);
  if (cls.relation === 'SELF') parts.push(`${user} = :${USER}`);
  if (cls.relation === 'SAME_TEAM') parts.push(...(notSelf ? [notSelf] : []), `${team} = :${TEAM}`);
  if (cls.relation === 'SAME_TENANT') parts.push(...(notSelf ? [notSelf] : []), ...(teamPossible ? [`(${team} IS NULL OR ${team} <> :${TEAM})`] : []));
  if (spec.installer && partnerInstaller) {
    const installer = `${alias}.${spec.installer}`;
    parts.push(binary(cls.installer, `${installer} = :${INSTALLER}`, `(${installer} IS NULL OR ${installer} <> :${INSTALLER})`));
  }
  if (spec.counterpart) parts.push(binary(cls.hasCounterpart, `${alias}.${spec.counterpart.column} IS NOT NULL`, `${alias}.${spec.counterpart.column} IS NULL`));
  if (spec.person.optional) parts.push(binary(cls.hasPerson, `${alias}.${spec.person.column} IS NOT NULL`, `${alias}.${spec.person.column} IS NULL`));
  const person = `${alias}.${spec.person.column}`;
  const restricted = people.controls.restrictedIds(spec.person.type);
  if (restricted.length > 0 && cls.hasPerson) parts.push(binary(cls.restricted, inSet(person, `${RESTRICTED}${spec.person.type}`, restricted, true), inSet(person, `${RESTRICTED}${spec.person.type}`, restricted, false)));
  const objectors = people.controls.objectorIds(spec.person.type, people.purpose);
  if (objectors.length > 0 && cls.hasPerson) parts.push(binary(cls.objected, inSet(person, `${OBJECTED}${spec.person.type}`, objectors, true), inSet(person, `${OBJECTED}${spec.person.type}`, objectors, false)));
  if (spec.birthDate) {
    const born = `${alias}.${spec.birthDate}`;
    parts.push(binary(cls.child, `${born} > :${CHILD_BORN_AFTER}`, `(${born} IS NULL OR ${born} <= :${CHILD_BORN_AFTER})`));
  }
  if (spec.expiredWhen) {
    const state = `${alias}.${spec.expiredWhen.column}`;
    const value = `${EXPIRED}${spec.person.type}`;
    parts.push(binary(cls.expired, `${state} = :${value}`, `(${state} IS NULL OR ${state} <> :${value})`));
  } else {
    const expired = people.controls.expiredIds(spec.person.type);
    if (expired.length > 0 && cls.hasPerson) parts.push(binary(cls.expired, inSet(person, `${EXPIRED_IDS}${spec.person.type}`, expired, true), inSet(person, `${EXPIRED_IDS}${spec.person.type}`, expired, false)));
  }
  return parts;
}

const conjunction = (parts: readonly string[]): string => (parts.length === 0 ? '1 = 1' : parts.join(' AND '));

/**
 * Two classes that differ only in one binary fact, both passing, are one class that does not test
 * that fact (`A AND child` OR `A AND NOT child` is `A`): merged until no pair is left, so the SQL
 * tests only what the decision depends on.
 */
function mergeClasses(classes: string[][], complements: ReadonlyMap<string, string>): string[][] {
  const merged = classes.map((parts) => [...parts]);
  for (let changed = true; changed; ) {
    changed = false;
    search: for (let i = 0; i < merged.length; i += 1)
      for (let j = i + 1; j < merged.length; j += 1) {
        const [a, b] = [merged[i]!, merged[j]!];
        if (a.length !== b.length) continue;
        const onlyA = a.filter((part) => !b.includes(part));
        if (onlyA.length !== 1) continue;
        const onlyB = b.filter((part) => !a.includes(part));
        if (onlyB.length !== 1 || complements.get(onlyA[0]!) !== onlyB[0]) continue;
        merged[i] = a.filter((part) => part !== onlyA[0]);
        merged.splice(j, 1);
        changed = true;
        break search;
      }
  }
  return merged;
}

/** A row condition as SQL over `alias`, with the caller's values as parameters. */
export function renderCondition(condition: RowCondition, spec: SubjectSpec, alias: string, caller: RelatingCaller, partnerInstaller?: string, people: PeopleFacts = PeopleFacts.NONE): SqlCondition {
  if (condition.kind === 'all') return TRUE_SQL;
  if (condition.kind === 'none') return FALSE_SQL;
  // A term every class shares is written once, outside the OR, where the planner can use it as an index bound.
  const complements = new Map<string, string>();
  const classes = mergeClasses(condition.classes.map((cls) => classParts(cls, spec, alias, caller, partnerInstaller, people, complements)), complements);
  const shared = classes[0]!.filter((part) => classes.every((parts) => parts.includes(part)));
  const own = classes.map((parts) => conjunction(parts.filter((part) => !shared.includes(part))));
  const either = own.includes('1 = 1') ? [] : [own.map((sql) => `(${sql})`).join(' OR ')];
  const sql = conjunction([...shared, ...either.map((sql) => `(${sql})`)]);
  const params: Record<string, unknown> = { [USER]: caller.userId };
  if (caller.teamId) params[TEAM] = caller.teamId;
  if (partnerInstaller) params[INSTALLER] = partnerInstaller;
  // Named per person type: conditions on two types (a list and the rows it links to) can share a statement.
  people.controls.restrictedIds(spec.person.type).forEach((id, i) => (params[`${RESTRICTED}${spec.person.type}${i}`] = id));
  people.controls.objectorIds(spec.person.type, people.purpose).forEach((id, i) => (params[`${OBJECTED}${spec.person.type}${i}`] = id));
  if (spec.birthDate) params[CHILD_BORN_AFTER] = people.childBornAfter;
  if (spec.expiredWhen) params[`${EXPIRED}${spec.person.type}`] = spec.expiredWhen.equals;
  else people.controls.expiredIds(spec.person.type).forEach((id, i) => (params[`${EXPIRED_IDS}${spec.person.type}${i}`] = id));
  return { sql: `(${sql})`, params };
}

/** How a list may be ordered by a field, given what the caller sees of it (decided by the engine). */
export type OrderPlan =
  /** Everyone in the list shows it in full: its true order. */
  | { kind: 'value' }
  /** Every row shows it only truncated (a date to the hour or day): the order of what is shown. */
  | { kind: 'truncate'; unit: 'hour' | 'day' }
  /** Some rows show it in full (`full`): those first in true order, the others (`rest`) after them in id order. */
  | { kind: 'mixed'; full: RowCondition; rest: RowCondition }
  /** No row shows it in a form that can be ordered: id order, which means nothing. */
  | { kind: 'none' };

export type SqlDialect = 'sqlite' | 'mysql';

/** A date column truncated to the hour or day, as the same text on both stores. */
export function truncatedDateSql(dialect: SqlDialect, column: string, unit: 'hour' | 'day'): string {
  if (dialect === 'sqlite') return `substr(${column}, 1, ${unit === 'hour' ? 13 : 10})`;
  return `DATE_FORMAT(${column}, '${unit === 'hour' ? '%Y-%m-%d %H' : '%Y-%m-%d'}')`;
}
