import {
  CATEGORIES,
  GATES,
  POLICY_TABLE,
  PURPOSE_DEFINITIONS,
  PURPOSES,
  RELATIONS,
  ROLES,
  ROLE_TRAITS,
  SUBJECT_KINDS,
  covers,
  strictness,
  type Category,
  type ConsentPurpose,
  type Effect,
  type Gate,
  type PolicyRow,
  type Purpose,
  type Relation,
  type Role,
  type SubjectKind,
} from './policy';

export interface Decision {
  readonly effect: Effect;
  /** Why, as a stable code the client can show ("hidden: no consent"). */
  readonly reason: string;
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
  /** The row has another party (a call to a known contact). */
  hasCounterpart?: boolean;
  /** The person restricted processing of their data. */
  restricted?: boolean;
  /** The person objects to the declared purpose. */
  objected?: boolean;
  /** The person is a child (by a declared birth date). */
  child?: boolean;
  /** The row is a closed account in its expiry period. */
  expired?: boolean;
  installedCallerApp?: boolean;
  /** False for a row about no one (absent: it is about someone). */
  hasPerson?: boolean;
}

const NONE: ReadonlySet<ConsentPurpose> = new Set();

/** Everything that can apply to one (role, purpose, kind, relation, category), found once at start-up. */
interface Compiled {
  /** Candidate grants, in table order; the first whose requirements hold is the grant. */
  rows: readonly PolicyRow[];
  /** Gates whose static conditions hold; their subject conditions and consents are checked per value. */
  gates: readonly Gate[];
  needs: ConsentNeeds;
}

export interface ConsentNeeds {
  readonly subject: boolean;
  readonly counterpart: boolean;
}

const NEEDS: Record<string, ConsentNeeds> = {
  '00': { subject: false, counterpart: false },
  '10': { subject: true, counterpart: false },
  '01': { subject: false, counterpart: true },
  '11': { subject: true, counterpart: true },
};

/** A value about the caller themselves: only for roles that act as the person, and never a contact. */
const aboutCaller = (role: Role, kind: SubjectKind, relation: Relation): boolean => relation === 'SELF' && kind !== 'CONTACT' && ROLE_TRAITS[role].actsAsPerson;

function staticallyApplies(gate: Gate, role: Role, purpose: Purpose, kind: SubjectKind, relation: Relation, category: Category): boolean {
  if (!gate.everyRole && (ROLE_TRAITS[role].exemptFromGates || gate.exempt?.includes(role))) return false;
  if (gate.exceptFor?.some((pair) => pair.role === role && pair.purpose === purpose)) return false;
  if (gate.roles && !gate.roles.includes(role)) return false;
  if (gate.purposes && !gate.purposes.includes(purpose)) return false;
  if (gate.relations && !gate.relations.includes(relation)) return false;
  if (gate.categories && !gate.categories.some((c) => covers(c, category))) return false;
  if (gate.consentBasedPurpose && PURPOSE_DEFINITIONS[purpose].consent === undefined) return false;
  if (gate.notAboutCaller && aboutCaller(role, kind, relation)) return false;
  return true;
}

type Index = Record<Role, Record<Purpose, Record<SubjectKind, Record<Relation, Map<Category, Compiled>>>>>;

function compile(): Index {
  const index = {} as Index;
  for (const role of ROLES) {
    index[role] = {} as Index[Role];
    for (const purpose of PURPOSES) {
      index[role][purpose] = {} as Index[Role][Purpose];
      for (const kind of SUBJECT_KINDS) {
        index[role][purpose][kind] = {} as Index[Role][Purpose][SubjectKind];
        for (const relation of RELATIONS) {
          const byCategory = new Map<Category, Compiled>();
          for (const category of CATEGORIES) {
            const rows = POLICY_TABLE.filter(
              (row) =>
                row.roles.includes(role) &&
                (!row.kinds || row.kinds.includes(kind)) &&
                (!row.relations || row.relations.includes(relation)) &&
                (!row.categories || row.categories.some((c) => covers(c, category))),
            );
            // Rows after one that always matches can never be the grant.
            const always = rows.findIndex((row) => !row.requires);
            const candidates = always < 0 ? rows : rows.slice(0, always + 1);
            const gates = GATES.filter((gate) => staticallyApplies(gate, role, purpose, kind, relation, category));
            const subject = candidates.some((row) => row.requires?.consent) || gates.some((gate) => gate.unlessConsent?.of === 'subject');
            const counterpart = gates.some((gate) => gate.unlessConsent?.of === 'counterpart');
            byCategory.set(category, { rows: candidates, gates, needs: NEEDS[`${subject ? 1 : 0}${counterpart ? 1 : 0}`]! });
          }
          index[role][purpose][kind][relation] = byCategory;
        }
      }
    }
  }
  return index;
}

const COMPILED = compile();

/** Per role and purpose, the categories for which some subject may need a consent. */
const CONSENT_BOUND = new Map<string, ReadonlySet<Category>>(
  ROLES.flatMap((role) =>
    PURPOSES.map((purpose) => {
      const bound = new Set<Category>();
      for (const kind of SUBJECT_KINDS)
        for (const relation of RELATIONS)
          for (const [category, compiled] of COMPILED[role][purpose][kind][relation]) if (compiled.needs.subject || compiled.needs.counterpart) bound.add(category);
      return [`${role}/${purpose}`, bound] as const;
    }),
  ),
);

/** Which consents decide() will need for this value, so they can be loaded (batched) first. */
export function consentNeeds(caller: CallerFacts, subject: Pick<SubjectFacts, 'kind' | 'relation'>, category: Category): ConsentNeeds {
  return COMPILED[caller.role][caller.purpose][subject.kind][subject.relation].get(category)!.needs;
}

/** Before looking at any row: can any of these categories need a consent for this caller? (A superset of consentNeeds.) */
export function mayNeedConsents(caller: CallerFacts, categories: readonly Category[]): boolean {
  const bound = CONSENT_BOUND.get(`${caller.role}/${caller.purpose}`)!;
  return categories.some((category) => bound.has(category));
}

// Shared decision objects: the engine groups notices and memoizes by identity.
const NO_GRANT: Decision = { effect: 'WITHHOLD', reason: 'NO_GRANT' };
const PURPOSE_REFUSED: Decision = { effect: 'WITHHOLD', reason: 'PURPOSE_NOT_ALLOWED' };
/** One frozen decision per row and gate, so a decision carries its effect and reason and nothing else. */
const DECISION_OF = new Map<PolicyRow | Gate, Decision>([...POLICY_TABLE, ...GATES].map((rule) => [rule, Object.freeze({ effect: rule.effect, reason: rule.reason })]));

function rowMatches(row: PolicyRow, caller: CallerFacts, subject: SubjectFacts, consents: ReadonlySet<ConsentPurpose>): boolean {
  const requires = row.requires;
  if (!requires) return true;
  if (requires.ticket && !caller.ticket) return false;
  if (requires.scope && !caller.partnerScopes.includes(requires.scope)) return false;
  if (requires.installer && !subject.installedCallerApp) return false;
  if (requires.consent && !consents.has(requires.consent)) return false;
  if (requires.noPerson && subject.hasPerson !== false) return false;
  return true;
}

function gateHolds(gate: Gate, caller: CallerFacts, subject: SubjectFacts, consents: ReadonlySet<ConsentPurpose>): boolean {
  if (gate.when === 'RESTRICTED' && !subject.restricted) return false;
  if (gate.when === 'OBJECTED' && !subject.objected) return false;
  if (gate.when === 'CHILD' && !subject.child) return false;
  if (gate.when === 'EXPIRED' && !subject.expired) return false;
  if (gate.when === 'HAS_COUNTERPART' && !subject.hasCounterpart) return false;
  const lift = gate.unlessConsent;
  if (!lift) return true;
  if (lift.of === 'subject' && subject.hasPerson === false) return false;
  const consent = lift.consent === 'PURPOSE' ? PURPOSE_DEFINITIONS[caller.purpose].consent! : lift.consent;
  const held = lift.of === 'subject' ? consents : (subject.counterpartConsents ?? NONE);
  return !held.has(consent);
}

/**
 * The decision for one value: a pure function of the caller, the subject and the category. The
 * role's grant is the first matching row of the table (none: withheld); every gate that holds is
 * then applied, and the strictest effect wins — so no gate, purpose or consent can show more
 * than the grant does. A purpose the role may not declare gets nothing.
 */
export function decide(caller: CallerFacts, subject: SubjectFacts, category: Category): Decision {
  if (!ROLE_TRAITS[caller.role].purposes.includes(caller.purpose)) return PURPOSE_REFUSED;
  const compiled = COMPILED[caller.role][caller.purpose][subject.kind][subject.relation].get(category);
  if (!compiled) return NO_GRANT;
  const consents = subject.consents ?? NONE;
  let decision = NO_GRANT;
  for (const row of compiled.rows) {
    if (rowMatches(row, caller, subject, consents)) {
      decision = DECISION_OF.get(row)!;
      break;
    }
  }
  for (const gate of compiled.gates) {
    if (strictness(gate.effect) > strictness(decision.effect) && gateHolds(gate, caller, subject, consents)) decision = DECISION_OF.get(gate)!;
  }
  return decision;
}
