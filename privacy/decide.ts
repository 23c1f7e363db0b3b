import {
  CATEGORIES,
  POLICY_TABLE,
  PURPOSE_DEFINITIONS,
  RELATIONS,
  ROLE_PURPOSES,
  ROLES,
  SUBJECT_KINDS,
  type Category,
  type ConsentPurpose,
  type Effect,
  type PolicyRow,
  type Purpose,
  type Relation,
  type Role,
  type SubjectKind,
} from './policy';

export interface Decision {
  effect: Effect;
  /** Why, as a stable code the client can show ("hidden: no consent"). */
  reason: string;
}

/** What the engine knows of the caller for one request. */
export interface CallerFacts {
  role: Role;
  purpose: Purpose;
  ticket: boolean;
  partnerScopes: readonly string[];
}

/** What the engine knows of the person a value is about. */
export interface SubjectFacts {
  kind: SubjectKind;
  relation: Relation;
  /** Live consents of the subject; only present when consentNeeds() asked for them. */
  consents?: ReadonlySet<ConsentPurpose>;
  /** Live consents of the other party (the contact of a call); likewise. */
  counterpartConsents?: ReadonlySet<ConsentPurpose>;
  restricted?: boolean;
  installedCallerApp?: boolean;
}

const NONE: ReadonlySet<ConsentPurpose> = new Set();

type Index = Record<Role, Record<SubjectKind, Record<Relation, Map<Category, readonly PolicyRow[]>>>>;

/**
 * The policy table indexed once, at start-up: for every (role, kind, relation, category) the rows
 * that can apply, in table order. A decision then tries one to three rows, not the whole table.
 */
function compile(table: readonly PolicyRow[]): Index {
  const index = {} as Index;
  for (const role of ROLES) {
    index[role] = {} as Index[Role];
    for (const kind of SUBJECT_KINDS) {
      index[role][kind] = {} as Index[Role][SubjectKind];
      for (const relation of RELATIONS) {
        const byCategory = new Map<Category, readonly PolicyRow[]>();
        for (const category of CATEGORIES) {
          byCategory.set(
            category,
            table.filter(
              (row) =>
                (row.roles === '*' || row.roles.includes(role)) &&
                (!row.kinds || row.kinds.includes(kind)) &&
                (!row.relations || row.relations.includes(relation)) &&
                (!row.categories || row.categories.includes(category)),
            ),
          );
        }
        index[role][kind][relation] = byCategory;
      }
    }
  }
  return index;
}

const COMPILED = compile(POLICY_TABLE);

export interface ConsentNeeds {
  readonly subject: boolean;
  readonly counterpart: boolean;
}
const NEEDS_NOTHING: ConsentNeeds = { subject: false, counterpart: false };
const NEEDS_SUBJECT: ConsentNeeds = { subject: true, counterpart: false };
const NEEDS_COUNTERPART: ConsentNeeds = { subject: false, counterpart: true };
const NEEDS_BOTH: ConsentNeeds = { subject: true, counterpart: true };

/** Which consents decide() will need for this value, so they can be loaded (batched) first. */
export function consentNeeds(caller: CallerFacts, subject: Pick<SubjectFacts, 'kind' | 'relation'>, category: Category): ConsentNeeds {
  if (caller.role === 'DPO') return NEEDS_NOTHING;
  const consentPurpose = PURPOSE_DEFINITIONS[caller.purpose].consent !== undefined;
  const locationOfOther = category === 'user.location.precise' && subject.relation !== 'SELF';
  const partnerContact = caller.role === 'PARTNER' && subject.kind === 'CONTACT';
  const needSubject = consentPurpose || locationOfOther || partnerContact;
  const needCounterpart = category === 'user.biometric.voice';
  return needSubject ? (needCounterpart ? NEEDS_BOTH : NEEDS_SUBJECT) : needCounterpart ? NEEDS_COUNTERPART : NEEDS_NOTHING;
}

/** Before looking at any row: can any of these categories need a consent for this caller? (A superset of consentNeeds.) */
export function mayNeedConsents(caller: CallerFacts, categories: readonly Category[]): boolean {
  if (caller.role === 'DPO') return false;
  if (caller.role === 'PARTNER' || PURPOSE_DEFINITIONS[caller.purpose].consent !== undefined) return true;
  return categories.some((c) => c === 'user.biometric.voice' || c === 'user.location.precise');
}

/**
 * The decision for one value: a pure function of the caller, the subject and the category.
 * First match wins: purpose not allowed → restricted subject → recording consent → location
 * consent → consent-based purpose → the role's row in the policy table → withheld.
 */
const NO_GRANT: Decision = { effect: 'WITHHOLD', reason: 'NO_GRANT' };
// Shared decision objects: the engine groups notices and memoizes by identity.
const PURPOSE_REFUSED: Decision = { effect: 'WITHHOLD', reason: 'PURPOSE_NOT_ALLOWED' };
const RESTRICTED: Decision = { effect: 'MASK', reason: 'RESTRICTED' };
const NO_RECORDING_CONSENT: Decision = { effect: 'WITHHOLD', reason: 'NO_RECORDING_CONSENT' };
const NO_LOCATION_CONSENT: Decision = { effect: 'WITHHOLD', reason: 'NO_LOCATION_CONSENT' };
const NO_CONSENT: Decision = { effect: 'MASK', reason: 'NO_CONSENT' };

export function decide(caller: CallerFacts, subject: SubjectFacts, category: Category): Decision {
  const consents = subject.consents ?? NONE;
  if (!ROLE_PURPOSES[caller.role].includes(caller.purpose)) return PURPOSE_REFUSED;
  if (subject.restricted && caller.role !== 'DPO') return RESTRICTED;
  if (caller.role !== 'DPO') {
    if (category === 'user.biometric.voice' && !(subject.counterpartConsents ?? NONE).has('CALL_RECORDING')) {
      return NO_RECORDING_CONSENT;
    }
    if (category === 'user.location.precise' && subject.relation !== 'SELF' && !consents.has('LOCATION_TRACKING')) {
      return NO_LOCATION_CONSENT;
    }
    // Data about the caller themselves needs no one else's consent; a contact is never the caller.
    const aboutCaller = subject.relation === 'SELF' && subject.kind !== 'CONTACT';
    const needed = PURPOSE_DEFINITIONS[caller.purpose].consent;
    if (needed && caller.role !== 'PARTNER' && !aboutCaller && !consents.has(needed)) {
      return NO_CONSENT;
    }
  }
  for (const row of COMPILED[caller.role][subject.kind][subject.relation].get(category) ?? []) {
    if (!row.when) return row;
    const facts = { ticket: caller.ticket, partnerScopes: caller.partnerScopes, subjectInstalledCallerApp: subject.installedCallerApp ?? false, subjectConsents: consents };
    if (row.when(facts)) return row;
  }
  return NO_GRANT;
}
