import type { Caller } from '../caller';
import { CHILD_AGE_YEARS, RELATIONS, ROLE_TRAITS, SUBJECT_KINDS, type Purpose, type Relation, type Role, type SubjectKind } from '../policy';
import type { ConsentSubject } from '../store/consents';
import { HELD_EXPIRED, HELD_OBJECTED, HELD_RESTRICTED, TenantControls } from '../store/controls';
import type { ConsentSubjectType } from '../store/entities';

/**
 * Whose data a row is, declared per GraphQL type beside each subgraph's entities: which column
 * names the person, which columns relate the caller to them, and who else the row concerns. From
 * this one declaration the engine derives both the subject of a loaded row (to decide its fields)
 * and the SQL condition that selects rows by subject (to decide its channels: filters, searches,
 * ranges, counts, order, links) — so a row and a predicate can never disagree.
 */
export interface SubjectSpec {
  kind: SubjectKind;
  /** The person whose consents count and who a pseudonym stands for; `optional` when a row may be about no one. */
  person: { type: ConsentSubjectType; column: string; optional?: true };
  /** The user through whom the caller relates to the person (the person themselves, or a contact's owner); absent: always SAME_TENANT. */
  relatedUser?: string;
  /** The team of that user; absent: the relation is never SAME_TEAM. */
  team?: string;
  /** The other party of the row (a call's contact), whose consent also counts (recordings). */
  counterpart?: { type: ConsentSubjectType; column: string };
  /** The column compared with the user who installed the calling partner app (a user's own id). */
  installer?: string;
  /** The person's birth date as `YYYY-MM-DD` (a child is decided by it); absent: never a child, unless `ageUnknown`. */
  birthDate?: string;
  /** The row is about a person whose age it cannot tell (a geofence at a contact's site): treated as a child's, failing closed. */
  ageUnknown?: true;
  /** The row is an expired (closed) account when this column holds this value. */
  expiredWhen?: { column: string; equals: string };
}

/** Per subgraph: the subject of each GraphQL type with personal fields. */
export type SubjectSpecs = Record<string, SubjectSpec>;

/** What the engine knows about the person a row is about. */
export interface SubjectOfRow {
  kind: SubjectKind;
  relation: Relation;
  /** Whose consents count for this row (a user, or a contact); its id is the person. */
  consentSubject?: ConsentSubject;
  /** The other party whose consent also counts (the contact of a call). */
  counterpart?: ConsentSubject;
  /** The row is the user who installed the calling partner app. */
  installedCallerApp?: boolean;
  /** The person restricted processing of their data. */
  restricted?: boolean;
  /** The person objects to the purpose this request declared. */
  objected?: boolean;
  /** The person is a child by their declared birth date. */
  child?: boolean;
  /** The row is a closed account in its expiry period. */
  expired?: boolean;
}

/**
 * What one request knows of people besides their rows: the restrictions and objections in force
 * in the tenant (read once per request, so a change holds from the next one), the purpose the
 * caller declared, and the birth date after which a person is still a child today.
 */
export class PeopleFacts {
  static readonly NONE = new PeopleFacts(TenantControls.NONE, 'SERVICE', '9999-12-31');

  constructor(
    readonly controls: TenantControls,
    readonly purpose: Purpose,
    /** `YYYY-MM-DD`: born after this day, a person is under CHILD_AGE_YEARS today. */
    readonly childBornAfter: string,
  ) {}

  static at(controls: TenantControls, purpose: Purpose, now: Date): PeopleFacts {
    return new PeopleFacts(controls, purpose, childCutoff(now));
  }
}

/** The last birth date of someone who is CHILD_AGE_YEARS today (UTC calendar days, as the dates are stored). */
export function childCutoff(now: Date): string {
  const year = now.getUTCFullYear() - CHILD_AGE_YEARS;
  const month = now.getUTCMonth();
  // 29 February in a year that has none: the birthday falls on 1 March.
  const day = Math.min(now.getUTCDate(), new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The caller as far as relations go. */
export type RelatingCaller = Pick<Caller, 'role' | 'userId' | 'teamId'>;

/**
 * Relation of the caller to a person reached through a user id and a team. Only roles that act
 * as the person in their token can be SELF (ROLE_TRAITS.actsAsPerson).
 */
export function relationTo(caller: RelatingCaller, userId: unknown, teamId?: unknown): Relation {
  if (ROLE_TRAITS[caller.role].actsAsPerson && userId && userId === caller.userId) return 'SELF';
  if (teamId && caller.teamId && teamId === caller.teamId) return 'SAME_TEAM';
  return 'SAME_TENANT';
}

const idOf = (value: unknown): string | undefined => (value === null || value === undefined || value === '' ? undefined : String(value));

/** The subject of one loaded row, read through its type's declaration (once per row: on the hot path). */
export function subjectOfRow(spec: SubjectSpec, row: Record<string, unknown>, caller: RelatingCaller, partnerInstaller?: string, people: PeopleFacts = PeopleFacts.NONE): SubjectOfRow {
  const subject: SubjectOfRow = {
    kind: spec.kind,
    relation: relationTo(caller, spec.relatedUser ? row[spec.relatedUser] : undefined, spec.team ? row[spec.team] : undefined),
    installedCallerApp: Boolean(spec.installer && partnerInstaller && row[spec.installer] === partnerInstaller),
  };
  const person = idOf(row[spec.person.column]);
  if (person) {
    subject.consentSubject = { type: spec.person.type, id: person };
    const { controls } = people;
    if (!controls.isEmpty) {
      const held = controls.heldFor(spec.person.type, person, people.purpose);
      if (held & HELD_RESTRICTED) subject.restricted = true;
      if (held & HELD_OBJECTED) subject.objected = true;
      // A closed account's expiry, recorded where the account is, reaches the person's rows
      // elsewhere; the account's own row goes by its status column (below), as its SQL does.
      if (held & HELD_EXPIRED && !spec.expiredWhen) subject.expired = true;
    }
  }
  if (spec.birthDate) {
    const born = row[spec.birthDate];
    if (typeof born === 'string' && born > people.childBornAfter) subject.child = true;
  } else if (spec.ageUnknown && person) subject.child = true;
  if (spec.expiredWhen && row[spec.expiredWhen.column] === spec.expiredWhen.equals) subject.expired = true;
  if (spec.counterpart) {
    const counterpart = idOf(row[spec.counterpart.column]);
    if (counterpart) subject.counterpart = { type: spec.counterpart.type, id: counterpart };
  }
  return subject;
}

/**
 * The memo slot of a subject: every fact of it that a decision reads except consents, as one
 * mixed-radix number over the declared dimensions. Decisions are memoized per (field, slot) and
 * then per consent state, so a fact added to SubjectOfRow that the policy reads must join these
 * dimensions, or rows differing only in it would share a decision.
 */
const KIND_INDEX = new Map<SubjectKind, number>(SUBJECT_KINDS.map((kind, i) => [kind, i]));
const RELATION_INDEX = new Map<Relation, number>(RELATIONS.map((relation, i) => [relation, i]));
const SLOT_DIMENSIONS = [
  { size: SUBJECT_KINDS.length, of: (s: SubjectOfRow) => KIND_INDEX.get(s.kind)! },
  { size: RELATIONS.length, of: (s: SubjectOfRow) => RELATION_INDEX.get(s.relation)! },
  { size: 2, of: (s: SubjectOfRow) => (s.installedCallerApp ? 1 : 0) },
  { size: 2, of: (s: SubjectOfRow) => (s.consentSubject ? 1 : 0) },
  { size: 2, of: (s: SubjectOfRow) => (s.counterpart ? 1 : 0) },
  { size: 2, of: (s: SubjectOfRow) => (s.restricted ? 1 : 0) },
  { size: 2, of: (s: SubjectOfRow) => (s.objected ? 1 : 0) },
  { size: 2, of: (s: SubjectOfRow) => (s.child ? 1 : 0) },
  { size: 2, of: (s: SubjectOfRow) => (s.expired ? 1 : 0) },
] as const;

/** How many distinct slots there are: memo keys are `field id * SLOT_COUNT + slot`. */
export const SLOT_COUNT = SLOT_DIMENSIONS.reduce((product, dimension) => product * dimension.size, 1);

export function slotOf(subject: SubjectOfRow): number {
  let slot = 0;
  for (let i = 0; i < SLOT_DIMENSIONS.length; i += 1) slot = slot * SLOT_DIMENSIONS[i]!.size + SLOT_DIMENSIONS[i]!.of(subject);
  return slot;
}

/** A class of rows that every decision treats alike (consents aside): what a SQL condition can select. */
export interface SubjectClass {
  relation: Relation;
  installer: boolean;
  hasCounterpart: boolean;
  hasPerson: boolean;
  restricted: boolean;
  objected: boolean;
  child: boolean;
  expired: boolean;
}

const BOTH = [false, true] as const;
const NO = [false] as const;

/**
 * The classes rows of a type can fall into for this caller (no SELF for a role that is not a
 * person, no restricted rows in a tenant where no one restricted processing, …).
 */
/** Whether a row of this type can be SELF to the caller (only roles that act as the person, through a related user). */
export const selfPossible = (spec: SubjectSpec, caller: RelatingCaller): boolean => Boolean(spec.relatedUser && ROLE_TRAITS[caller.role as Role].actsAsPerson);

export function classesOf(spec: SubjectSpec, caller: RelatingCaller, partnerInstaller?: string, people: PeopleFacts = PeopleFacts.NONE): SubjectClass[] {
  const relations = RELATIONS.filter(
    (relation) =>
      (relation !== 'SELF' || selfPossible(spec, caller)) &&
      (relation !== 'SAME_TEAM' || (spec.team && caller.teamId)),
  );
  const installers = spec.installer && partnerInstaller ? BOTH : NO;
  const counterparts = spec.counterpart ? BOTH : NO;
  const persons = spec.person.optional ? [true, false] : [true];
  const restricted = people.controls.restrictedIds(spec.person.type).length > 0 ? BOTH : NO;
  const objected = people.controls.objectorIds(spec.person.type, people.purpose).length > 0 ? BOTH : NO;
  const children = spec.birthDate ? BOTH : NO;
  // An expired account: by the row's own status column where it has one, else by the person's id.
  const expiriesOf = (hasPerson: boolean) => (spec.expiredWhen || (hasPerson && people.controls.expiredIds(spec.person.type).length > 0) ? BOTH : NO);
  const classes: SubjectClass[] = [];
  for (const relation of relations)
    for (const installer of installers)
      for (const hasCounterpart of counterparts)
        for (const hasPerson of persons)
          for (const isRestricted of hasPerson ? restricted : NO)
            for (const isObjected of hasPerson ? objected : NO)
              for (const child of spec.ageUnknown ? [hasPerson] : children)
                for (const expired of expiriesOf(hasPerson)) classes.push({ relation, installer, hasCounterpart, hasPerson, restricted: isRestricted, objected: isObjected, child, expired });
  return classes;
}
