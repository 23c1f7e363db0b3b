/**
 * The privacy policy, as data: the vocabulary (roles, relations, purposes and their legal basis,
 * consent purposes, categories, effects), the traits of each role, the gates that hold whatever
 * the role, and the table of what each role is granted. privacy/decide.ts compiles these tables
 * into decide(), consentNeeds() and mayNeedConsents(); nothing else states a rule.
 */

export const ROLES = ['ADMIN', 'MEMBER', 'SUPPORT', 'PARTNER', 'DPO'] as const;
export type Role = (typeof ROLES)[number];

/** The caller's relation to the subject of a value; anything of another tenant is never loaded at all. */
export const RELATIONS = ['SELF', 'SAME_TEAM', 'SAME_TENANT'] as const;
export type Relation = (typeof RELATIONS)[number];

export const LEGAL_BASES = ['CONTRACT', 'LEGITIMATE_INTEREST', 'CONSENT', 'LEGAL_OBLIGATION'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** Mobile permissions and opt-ins a person can give and take back. */
export const CONSENT_PURPOSES = [
  'CALL_LOG_SYNC',
  'CONTACT_SYNC',
  'LOCATION_TRACKING',
  'CALL_RECORDING',
  'MARKETING',
  'ANALYTICS',
  'PARTNER_SHARING',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const PURPOSES = ['SERVICE', 'SUPPORT', 'ANALYTICS', 'MARKETING', 'PARTNER_SHARING', 'LEGAL', 'RIGHTS_REQUEST'] as const;
export type Purpose = (typeof PURPOSES)[number];

export interface PurposeDefinition {
  basis: LegalBasis;
  /** For consent-based purposes: the consent the subject must have given. */
  consent?: ConsentPurpose;
}

/** Each purpose rests on one legal basis (REQUIREMENTS: purposes and legal bases). */
export const PURPOSE_DEFINITIONS: Record<Purpose, PurposeDefinition> = {
  SERVICE: { basis: 'CONTRACT' },
  SUPPORT: { basis: 'LEGITIMATE_INTEREST' },
  ANALYTICS: { basis: 'CONSENT', consent: 'ANALYTICS' },
  MARKETING: { basis: 'CONSENT', consent: 'MARKETING' },
  PARTNER_SHARING: { basis: 'CONSENT', consent: 'PARTNER_SHARING' },
  LEGAL: { basis: 'LEGAL_OBLIGATION' },
  RIGHTS_REQUEST: { basis: 'LEGAL_OBLIGATION' },
};

/**
 * Purposes a person can object to (Art. 21): an objection stops that purpose for their data on the
 * next request, whatever their consents say, until it is lifted.
 */
export const OBJECTABLE_PURPOSES = ['MARKETING', 'ANALYTICS', 'PARTNER_SHARING'] as const satisfies readonly Purpose[];
export type ObjectablePurpose = (typeof OBJECTABLE_PURPOSES)[number];

export const DEFAULT_PURPOSE: Purpose = 'SERVICE';

/** What a role is, beyond the rows of the table that grant it values. */
export interface RoleTraits {
  /** The purposes it may declare; the first is its default when SERVICE is not among them. */
  purposes: readonly Purpose[];
  /** Every disclosure of personal data to it is written to the audit log. */
  audited: boolean;
  /** The gates below do not apply to it (the DPO sees what a request or a legal duty needs). */
  exemptFromGates: boolean;
  /**
   * It acts as the person its token names, so that person's own data is SELF to it. Vendor staff
   * and partner apps act for the vendor or the app: a row about the user in their token is not
   * their own data.
   */
  actsAsPerson: boolean;
}

export const ROLE_TRAITS: Record<Role, RoleTraits> = {
  ADMIN: { purposes: ['SERVICE', 'ANALYTICS', 'MARKETING', 'RIGHTS_REQUEST'], audited: false, exemptFromGates: false, actsAsPerson: true },
  MEMBER: { purposes: ['SERVICE', 'ANALYTICS', 'MARKETING'], audited: false, exemptFromGates: false, actsAsPerson: true },
  // Vendor staff: "access is logged and audited".
  SUPPORT: { purposes: ['SUPPORT'], audited: true, exemptFromGates: false, actsAsPerson: false },
  PARTNER: { purposes: ['PARTNER_SHARING'], audited: true, exemptFromGates: false, actsAsPerson: false },
  // "Every action audited."
  DPO: { purposes: ['RIGHTS_REQUEST', 'LEGAL'], audited: true, exemptFromGates: true, actsAsPerson: true },
};

/** The purposes each role may declare (from ROLE_TRAITS). */
export const ROLE_PURPOSES: Record<Role, readonly Purpose[]> = Object.fromEntries(ROLES.map((role) => [role, ROLE_TRAITS[role].purposes])) as Record<Role, readonly Purpose[]>;

/** Roles whose every disclosure of personal data is audited (from ROLE_TRAITS). */
export const AUDITED_ROLES: readonly Role[] = ROLES.filter((role) => ROLE_TRAITS[role].audited);

/** The purpose of a request that declares none: SERVICE, or the role's own when SERVICE is not allowed. */
export function defaultPurposeOf(role: Role): Purpose {
  const allowed = ROLE_PURPOSES[role];
  return allowed.includes(DEFAULT_PURPOSE) ? DEFAULT_PURPOSE : allowed[0]!;
}

/**
 * Fideslang-style data categories used by `@personal(category:)` in the SDL. They form a
 * hierarchy by their dots: a rule on `user.device.call_log` covers `user.device.call_log.number`.
 */
export const CATEGORIES = [
  'user.name',
  'user.contact.email',
  'user.contact.phone_number',
  'user.contact.address',
  'user.job_title',
  'user.workplace',
  'user.demographic.language',
  'user.demographic.date_of_birth',
  'user.location.imprecise',
  'user.location.precise',
  'user.behavior.interaction',
  'user.device.call_log',
  'user.device.call_log.number',
  'user.device.call_log.notes',
  'user.biometric.voice',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Whether a rule on `ruleCategory` covers a value of `category` (itself or a narrower category). */
export function covers(ruleCategory: Category, category: Category): boolean {
  return category === ruleCategory || category.startsWith(`${ruleCategory}.`);
}

/**
 * What the policy can do to a value, from least to most strict. When several rules apply to one
 * value, every one is applied and the strictest effect wins: a rule can only take away.
 * PSEUDONYM is stricter than MASK: a mask keeps a readable part of the value (an initial, a
 * domain, the last digits), a pseudonym keeps none of it, only that two values are the same.
 */
export const EFFECTS = ['FULL', 'GENERALIZE', 'MASK', 'PSEUDONYM', 'WITHHOLD'] as const;
export type Effect = (typeof EFFECTS)[number];

export const strictness = (effect: Effect): number => EFFECTS.indexOf(effect);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

/* ------------------------------------------------------------------------------------------------
 * Whose data a value is (subject kind) and the caller's relation to that person decide, with the
 * category, what the caller's role is granted (the table). Gates then apply whatever the role
 * grants: each one can only make the value stricter.
 * ---------------------------------------------------------------------------------------------- */

/** Whose data a value is: a user's profile, a contact, a user's call activity, a user's whereabouts. */
export const SUBJECT_KINDS = ['USER', 'CONTACT', 'CALL_LOG', 'LOCATION'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Partner installation scopes and what they open. */
export const PARTNER_SCOPES = {
  PROFILE: 'profile',
  CONTACTS_PSEUDONYMOUS: 'contacts.pseudonymous',
  LOCATIONS_COARSE: 'locations.coarse',
} as const;

/** What a row of the table may require beyond role, kind, relation and category. */
export interface RowRequirements {
  /** The caller holds a live support ticket. */
  ticket?: true;
  /** The calling partner app's installation has this scope. */
  scope?: string;
  /** The subject (a user) installed the calling partner app. */
  installer?: true;
  /** The subject gave this consent. */
  consent?: ConsentPurpose;
  /** The row is about no one (a geofence that marks no contact's site). */
  noPerson?: true;
}

export interface PolicyRow {
  roles: readonly Role[];
  kinds?: readonly SubjectKind[];
  relations?: readonly Relation[];
  /** Categories the row covers (with their narrower categories); all when absent. */
  categories?: readonly Category[];
  requires?: RowRequirements;
  effect: Effect;
  /** Told to the client in extensions.privacy when the value is not shown in full. */
  reason: string;
}

const CALL_NUMBER: Category[] = ['user.device.call_log.number'];
const CALL_NOTES: Category[] = ['user.device.call_log.notes'];

/**
 * The grant of each role: rows are tried in order and the first that matches is the role's
 * grant; a value no row grants is withheld. Within a role, narrower rows come first.
 */
export const POLICY_TABLE: readonly PolicyRow[] = [
  // A row that is about no one holds no personal data (a geofence that marks no contact's site).
  { roles: ROLES, requires: { noPerson: true }, effect: 'FULL', reason: 'NOT_ABOUT_A_PERSON' },
  // Own data, own contacts: in full ("full access to own data").
  { roles: ['ADMIN', 'MEMBER', 'DPO'], relations: ['SELF'], effect: 'FULL', reason: 'SELF' },
  // The DPO works on legal and rights-request purposes only, and sees what a request needs.
  { roles: ['DPO'], effect: 'FULL', reason: 'DPO_DUTY' },
  // A tenant administrator controls the team account.
  { roles: ['ADMIN'], kinds: ['USER', 'CONTACT'], effect: 'FULL', reason: 'TENANT_ADMIN' },
  { roles: ['ADMIN'], kinds: ['CALL_LOG'], categories: CALL_NUMBER, effect: 'MASK', reason: 'ADMIN_CALL_NUMBER' },
  { roles: ['ADMIN'], kinds: ['CALL_LOG'], categories: CALL_NOTES, effect: 'WITHHOLD', reason: 'ADMIN_CALL_NOTES' },
  { roles: ['ADMIN'], kinds: ['CALL_LOG'], effect: 'FULL', reason: 'TENANT_ADMIN' },
  { roles: ['ADMIN'], kinds: ['LOCATION'], effect: 'GENERALIZE', reason: 'ADMIN_LOCATION' },
  // A sales rep: the team's contacts in full; colleagues' name and email; their own logs only.
  { roles: ['MEMBER'], kinds: ['CONTACT'], relations: ['SAME_TEAM'], effect: 'FULL', reason: 'TEAM_CONTACT' },
  { roles: ['MEMBER'], kinds: ['CONTACT'], categories: ['user.name', 'user.workplace'], effect: 'FULL', reason: 'OTHER_TEAM_CONTACT' },
  { roles: ['MEMBER'], kinds: ['CONTACT'], effect: 'MASK', reason: 'OTHER_TEAM_CONTACT' },
  { roles: ['MEMBER'], kinds: ['USER'], categories: ['user.contact.phone_number'], effect: 'MASK', reason: 'COLLEAGUE' },
  { roles: ['MEMBER'], kinds: ['USER'], effect: 'FULL', reason: 'COLLEAGUE' },
  { roles: ['MEMBER'], kinds: ['CALL_LOG', 'LOCATION'], effect: 'WITHHOLD', reason: 'SELF_CONSUMPTION_ONLY' },
  // Vendor support: need-to-know; a live ticket (audited) opens the tenant's data.
  { roles: ['SUPPORT'], requires: { ticket: true }, effect: 'FULL', reason: 'SUPPORT_TICKET' },
  { roles: ['SUPPORT'], categories: [...CALL_NOTES, 'user.biometric.voice'], effect: 'WITHHOLD', reason: 'SUPPORT_NO_TICKET' },
  { roles: ['SUPPORT'], kinds: ['LOCATION'], effect: 'GENERALIZE', reason: 'SUPPORT_NO_TICKET' },
  { roles: ['SUPPORT'], effect: 'MASK', reason: 'SUPPORT_NO_TICKET' },
  // Partners: the installing user's name and email ("the installing user's name and email
  // only"); contacts' names pseudonymous unless the contact agreed to partner sharing, and then
  // the name alone (never an email or number: partners get data "never in a manner that would
  // identify you" beyond what the person agreed to); a mapping provider gets coarse coordinates.
  { roles: ['PARTNER'], kinds: ['USER'], categories: ['user.name', 'user.contact.email'], requires: { installer: true, scope: PARTNER_SCOPES.PROFILE }, effect: 'FULL', reason: 'PARTNER_INSTALLER' },
  { roles: ['PARTNER'], kinds: ['CONTACT'], categories: ['user.name'], requires: { consent: 'PARTNER_SHARING', scope: PARTNER_SCOPES.CONTACTS_PSEUDONYMOUS }, effect: 'FULL', reason: 'PARTNER_SHARING_CONSENT' },
  { roles: ['PARTNER'], kinds: ['CONTACT'], categories: ['user.name'], requires: { scope: PARTNER_SCOPES.CONTACTS_PSEUDONYMOUS }, effect: 'PSEUDONYM', reason: 'PARTNER_PSEUDONYMOUS' },
  { roles: ['PARTNER'], kinds: ['LOCATION'], requires: { scope: PARTNER_SCOPES.LOCATIONS_COARSE }, effect: 'GENERALIZE', reason: 'PARTNER_MAPPING' },
  { roles: ['PARTNER'], effect: 'WITHHOLD', reason: 'PARTNER_NOT_SHARED' },
];

/**
 * A subject fact a gate can test besides consents: the person restricted processing, objects to
 * the declared purpose, is a child (under CHILD_AGE_YEARS by a declared birth date), the row is a
 * closed account in its expiry period (EXPIRED), or the row has another party.
 */
export type GateCondition = 'RESTRICTED' | 'OBJECTED' | 'CHILD' | 'EXPIRED' | 'HAS_COUNTERPART';

/** Below this age a person is a child: "we do not knowingly collect … from children under 16". */
export const CHILD_AGE_YEARS = 16;

/**
 * A rule that holds whatever the role grants. It applies to a value when every condition it
 * names holds; it is then lifted only by the consent it names (`unlessConsent`), and otherwise
 * imposes its effect — which counts only where it is stricter than the grant.
 */
export interface Gate {
  effect: Effect;
  reason: string;
  /** Categories it covers (with narrower ones); all when absent. */
  categories?: readonly Category[];
  /** Only for requests whose declared purpose rests on consent (ANALYTICS, MARKETING, …). */
  consentBasedPurpose?: true;
  /** Not for data about the caller themselves (a contact is never the caller). */
  notAboutCaller?: true;
  /** Only when this subject fact holds. */
  when?: GateCondition;
  /** Lifted by this consent of the subject or of the call's counterpart; PURPOSE is the consent the declared purpose names. A gate lifted by the subject's consent does not apply to a row about no one. */
  unlessConsent?: { of: 'subject' | 'counterpart'; consent: ConsentPurpose | 'PURPOSE' };
  /** Roles it does not apply to, besides those exempt from every gate. */
  exempt?: readonly Role[];
  /** Only for these roles. */
  roles?: readonly Role[];
  /** Only for requests declaring one of these purposes. */
  purposes?: readonly Purpose[];
  /** Only for these relations of the caller to the person (a contact's owner is SELF to it). */
  relations?: readonly Relation[];
  /** (role, purpose) pairs it does not apply to, even with `everyRole`. */
  exceptFor?: readonly { role: Role; purpose: Purpose }[];
  /** Applies to every role, those exempt from gates included (a rule of the data's shape, not of access). */
  everyRole?: true;
}

export const GATES: readonly Gate[] = [
  // A person who restricted processing (Art. 18): their data is only stored, withheld from every
  // role but the DPO acting under a legal obligation, until the restriction is lifted.
  { when: 'RESTRICTED', everyRole: true, exceptFor: [{ role: 'DPO', purpose: 'LEGAL' }], effect: 'WITHHOLD', reason: 'RESTRICTED' },
  // A person who objects to a purpose (Art. 21): that purpose stops for their data, whatever they consented to.
  { when: 'OBJECTED', notAboutCaller: true, effect: 'WITHHOLD', reason: 'OBJECTED' },
  // A child's data (assyst, rsoft: COPPA): masked for all but the contact's owner and the DPO,
  // never used for marketing or analytics, never shared with partners — whatever the consents say.
  { when: 'CHILD', relations: ['SAME_TEAM', 'SAME_TENANT'], effect: 'MASK', reason: 'CHILD' },
  { when: 'CHILD', purposes: ['MARKETING', 'ANALYTICS'], everyRole: true, effect: 'WITHHOLD', reason: 'CHILD_NO_PROFILING' },
  { when: 'CHILD', roles: ['PARTNER'], everyRole: true, effect: 'WITHHOLD', reason: 'CHILD_NOT_SHARED' },
  // A closed account is "expired" until retention purges it (massist): only the user (to export
  // it) and the DPO read it — no colleague, administrator, support agent or partner app.
  { when: 'EXPIRED', relations: ['SAME_TEAM', 'SAME_TENANT'], effect: 'WITHHOLD', reason: 'ACCOUNT_EXPIRED' },
  // A recording needs the recorded contact's consent, even on one's own call; no contact, no consent.
  { categories: ['user.biometric.voice'], unlessConsent: { of: 'counterpart', consent: 'CALL_RECORDING' }, effect: 'WITHHOLD', reason: 'NO_RECORDING_CONSENT' },
  // Another person's whereabouts need their tracking consent ("can be switched off any time").
  { categories: ['user.location.precise'], notAboutCaller: true, unlessConsent: { of: 'subject', consent: 'LOCATION_TRACKING' }, effect: 'WITHHOLD', reason: 'NO_LOCATION_CONSENT' },
  // Analytics and marketing rest on the person's consent; a partner's rows state its own.
  { consentBasedPurpose: true, notAboutCaller: true, exempt: ['PARTNER'], unlessConsent: { of: 'subject', consent: 'PURPOSE' }, effect: 'MASK', reason: 'NO_CONSENT' },
  // One datum, one field: the number of a call to a known contact is that contact's phone, served
  // (and decided) only as `contact.phone`; the call's own number field holds unknown numbers only.
  { categories: CALL_NUMBER, when: 'HAS_COUNTERPART', everyRole: true, effect: 'WITHHOLD', reason: 'CONTACT_NUMBER' },
];

/* ------------------------------------------------------------------------------------------------
 * Who may record or read a person's consents. Consent belongs to the person: a user records their
 * own, and nobody grants it on their behalf. A contact gives consent to the business that holds
 * their data, so its owner or an ADMIN records it, saying how it was given (its source).
 * Withdrawals only ever restrict, so the DPO may record those for a contact too.
 * ---------------------------------------------------------------------------------------------- */

/** SELF: the user the consent is about; OWNER: the user who owns the contact; or a role. */
export type ConsentActor = 'SELF' | 'OWNER' | Role;
export type ConsentAction = 'READ' | 'GRANT' | 'WITHDRAW';

export const CONSENT_AUTHORITY: Record<'USER' | 'CONTACT', Record<ConsentAction, readonly ConsentActor[]>> = {
  USER: { READ: ['SELF', 'ADMIN', 'DPO'], GRANT: ['SELF'], WITHDRAW: ['SELF'] },
  CONTACT: { READ: ['OWNER', 'ADMIN', 'DPO'], GRANT: ['OWNER', 'ADMIN'], WITHDRAW: ['OWNER', 'ADMIN', 'DPO'] },
};

/** Whether a caller may take a consent action on a subject (SELF and OWNER only for roles that act as the person). */
export function mayActOnConsent(
  caller: { role: Role; userId: string },
  subject: { type: 'USER' | 'CONTACT'; id: string; ownerId?: string | null },
  action: ConsentAction,
): boolean {
  const person = ROLE_TRAITS[caller.role].actsAsPerson;
  return CONSENT_AUTHORITY[subject.type][action].some((actor) => {
    if (actor === 'SELF') return person && subject.type === 'USER' && subject.id === caller.userId;
    if (actor === 'OWNER') return person && subject.type === 'CONTACT' && !!subject.ownerId && subject.ownerId === caller.userId;
    return actor === caller.role;
  });
}

/* ------------------------------------------------------------------------------------------------
 * Who reads the privacy subgraph's records, and who adds people's data.
 * ---------------------------------------------------------------------------------------------- */

/** How far a role reads a kind of privacy record: every tenant's, its own tenant's, or only those about the person in its token. */
export type RecordScope = 'ALL_TENANTS' | 'OWN_TENANT' | 'OWN_DATA';

/**
 * Privacy requests and the audit log: the DPO every tenant's, a tenant ADMIN (the controller) their
 * tenant's, a user the requests about themselves; a role not named reads none. A user's own data
 * access log (`myDataAccessLog`) is for every role that acts as the person in its token.
 */
export const PRIVACY_RECORD_ACCESS: Record<'privacyRequests' | 'auditLog', Partial<Record<Role, RecordScope>>> = {
  privacyRequests: { DPO: 'ALL_TENANTS', ADMIN: 'OWN_TENANT', MEMBER: 'OWN_DATA' },
  auditLog: { DPO: 'ALL_TENANTS', ADMIN: 'OWN_TENANT' },
};

/** Roles that add contacts, each as the contact's owner (the tenant's own users). */
export const CONTACT_CREATORS: readonly Role[] = ['ADMIN', 'MEMBER'];
