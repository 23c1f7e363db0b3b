import type { GraphQLSchema } from 'graphql';
import type { Classification } from './classification';
import { personalFields } from './enforcement/fields';
import { decide, type CallerFacts, type Decision, type SubjectFacts } from './decide';
import { CONSENT_PURPOSES, RELATIONS, type Category, type ConsentPurpose, type Relation, type SubjectKind } from './policy';

/**
 * Whose data the personal fields of each type are, as the subgraphs' subject mappers say it
 * (subgraphs/<name>/subjects.ts): a User row is that user, a Contact is the contact, a CallLog is
 * the calling user's activity and a LocationPing is where that user was.
 */
export const SUBJECT_KIND_OF_TYPE: Readonly<Record<string, SubjectKind>> = {
  User: 'USER',
  Contact: 'CONTACT',
  CallLog: 'CALL_LOG',
  LocationPing: 'LOCATION',
  // A geofence that marks a contact's site is that contact's address.
  Geofence: 'CONTACT',
};

const NO_CONSENTS: ReadonlySet<ConsentPurpose> = new Set();
const EVERY_CONSENT: ReadonlySet<ConsentPurpose> = new Set(CONSENT_PURPOSES);

export interface RelationPolicy {
  /** What the caller gets when the person gave no consent at all. */
  withoutConsent: Decision;
  /** What the caller gets when the person (and, for a recording, the contact called) gave every consent. */
  withEveryConsent: Decision;
}

export interface FieldPolicy {
  type: string;
  field: string;
  category: Category;
  kind: SubjectKind;
  relations: Record<Relation, RelationPolicy>;
}

/** True when the answer for this relation changes with the person's consents. */
export const dependsOnConsent = (policy: RelationPolicy): boolean =>
  policy.withoutConsent.effect !== policy.withEveryConsent.effect || policy.withoutConsent.reason !== policy.withEveryConsent.reason;

/** decide() may answer with its policy row itself: keep only what the view shows. */
const effectAndReason = ({ effect, reason }: Decision): Decision => ({ effect, reason });

function subjectFacts(kind: SubjectKind, relation: Relation, consents: ReadonlySet<ConsentPurpose>): SubjectFacts {
  return {
    kind,
    relation,
    consents,
    counterpartConsents: consents,
    // A partner app acts for the user who installed it: that user is the caller's SELF.
    installedCallerApp: kind === 'USER' && relation === 'SELF',
  };
}

/**
 * The policy as one caller meets it: every personal field of the schema (read from its
 * `@personal` classification) with the effect and reason decide() gives it for each relation the
 * caller can have to the person, without consent and with every consent. Decisions come from the
 * same decide() the subgraphs run, so this view cannot drift from what they enforce. Restriction of
 * processing (a per-person flag) is not shown: it masks everything for all but the DPO.
 */
export function policyView(classification: Classification, caller: CallerFacts, schema?: GraphQLSchema): FieldPolicy[] {
  const view: FieldPolicy[] = [];
  // With the schema, each decision is shown as applied to the field's type (an enum or a link cannot be masked: it is withheld).
  const fields = schema ? personalFields(schema, classification) : undefined;
  const applied = (type: string, field: string, decision: Decision): Decision => effectAndReason(fields?.get(`${type}.${field}`)?.applied(decision) ?? decision);
  for (const [type, fields] of classification) {
    const personal = [...fields].filter(([, cls]) => cls.personal);
    if (personal.length === 0) continue;
    const kind = SUBJECT_KIND_OF_TYPE[type];
    if (!kind) throw new Error(`policy view: type ${type} has personal fields but no subject kind in SUBJECT_KIND_OF_TYPE`);
    for (const [field, cls] of personal) {
      if (!cls.personal) continue;
      const relations = {} as Record<Relation, RelationPolicy>;
      for (const relation of RELATIONS) {
        relations[relation] = {
          withoutConsent: applied(type, field, decide(caller, subjectFacts(kind, relation, NO_CONSENTS), cls.category)),
          withEveryConsent: applied(type, field, decide(caller, subjectFacts(kind, relation, EVERY_CONSENT), cls.category)),
        };
      }
      view.push({ type, field, category: cls.category, kind, relations });
    }
  }
  return view;
}
