/**
 * The privacy vocabulary: who calls (roles), how they relate to the person the data is about
 * (relations), why they read it (purposes, each on one legal basis), what the person agreed to
 * (consent purposes) and what the policy can do to a value (effects).
 */

export const ROLES = ['ADMIN', 'MEMBER', 'SUPPORT', 'PARTNER', 'DPO'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles whose every disclosure of personal data is written to the audit log: vendor staff
 * ("access is logged and audited"), partner apps, and the DPO ("every action audited").
 */
export const AUDITED_ROLES: readonly Role[] = ['SUPPORT', 'PARTNER', 'DPO'];

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

/** The purposes each role may declare; the first is its default when SERVICE is not among them. */
export const ROLE_PURPOSES: Record<Role, readonly Purpose[]> = {
  ADMIN: ['SERVICE', 'ANALYTICS', 'MARKETING', 'RIGHTS_REQUEST'],
  MEMBER: ['SERVICE', 'ANALYTICS', 'MARKETING'],
  SUPPORT: ['SUPPORT'],
  PARTNER: ['PARTNER_SHARING'],
  DPO: ['RIGHTS_REQUEST', 'LEGAL'],
};

export const DEFAULT_PURPOSE: Purpose = 'SERVICE';

/** The purpose of a request that declares none: SERVICE, or the role's own when SERVICE is not allowed. */
export function defaultPurposeOf(role: Role): Purpose {
  const allowed = ROLE_PURPOSES[role];
  return allowed.includes(DEFAULT_PURPOSE) ? DEFAULT_PURPOSE : allowed[0]!;
}

/** Fideslang-style data categories used by `@personal(category:)` in the SDL. */
export const CATEGORIES = [
  'user.name',
  'user.contact.email',
  'user.contact.phone_number',
  'user.contact.address',
  'user.job_title',
  'user.workplace',
  'user.demographic.language',
  'user.location.imprecise',
  'user.location.precise',
  'user.behavior.interaction',
  'user.device.call_log',
  'user.device.call_log.number',
  'user.device.call_log.notes',
  'user.biometric.voice',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** What the policy does to a value. */
export const EFFECTS = ['FULL', 'MASK', 'PSEUDONYM', 'GENERALIZE', 'WITHHOLD'] as const;
export type Effect = (typeof EFFECTS)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

/* ------------------------------------------------------------------------------------------------
 * The policy table. Whose data a value is (subject kind) and the caller's relation to that person
 * decide, with the category, what the caller's role gets. Rows are tried in order; the first that
 * matches wins; a value no row grants is withheld. Before the table, decide() applies the rules
 * that hold whatever the role: restriction, recording and location consent, consent-based purposes.
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

/** Facts a row may test beyond role, kind, relation and category. */
export interface RowFacts {
  ticket: boolean;
  partnerScopes: readonly string[];
  /** The subject (a user) installed the calling partner app. */
  subjectInstalledCallerApp: boolean;
  subjectConsents: ReadonlySet<ConsentPurpose>;
}

export interface PolicyRow {
  roles: readonly Role[] | '*';
  kinds?: readonly SubjectKind[];
  relations?: readonly Relation[];
  categories?: readonly Category[];
  when?: (facts: RowFacts) => boolean;
  effect: Effect;
  /** Told to the client in extensions.privacy when the value is not shown in full. */
  reason: string;
}

const CALL_NUMBER: Category[] = ['user.device.call_log.number'];
const CALL_NOTES: Category[] = ['user.device.call_log.notes'];
const NAME_AND_EMAIL: Category[] = ['user.name', 'user.contact.email'];

export const POLICY_TABLE: readonly PolicyRow[] = [
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
  { roles: ['SUPPORT'], when: (f) => f.ticket, effect: 'FULL', reason: 'SUPPORT_TICKET' },
  { roles: ['SUPPORT'], categories: [...CALL_NOTES, 'user.biometric.voice'], effect: 'WITHHOLD', reason: 'SUPPORT_NO_TICKET' },
  { roles: ['SUPPORT'], kinds: ['LOCATION'], effect: 'GENERALIZE', reason: 'SUPPORT_NO_TICKET' },
  { roles: ['SUPPORT'], effect: 'MASK', reason: 'SUPPORT_NO_TICKET' },
  // Partners: the installing user's name and email; contacts pseudonymous unless the contact
  // agreed to partner sharing; a mapping provider gets coarse coordinates only.
  {
    roles: ['PARTNER'],
    kinds: ['USER'],
    categories: NAME_AND_EMAIL,
    when: (f) => f.subjectInstalledCallerApp && f.partnerScopes.includes(PARTNER_SCOPES.PROFILE),
    effect: 'FULL',
    reason: 'PARTNER_INSTALLER',
  },
  {
    roles: ['PARTNER'],
    kinds: ['CONTACT'],
    categories: NAME_AND_EMAIL,
    when: (f) => f.subjectConsents.has('PARTNER_SHARING') && f.partnerScopes.includes(PARTNER_SCOPES.CONTACTS_PSEUDONYMOUS),
    effect: 'FULL',
    reason: 'PARTNER_SHARING_CONSENT',
  },
  {
    roles: ['PARTNER'],
    kinds: ['CONTACT'],
    categories: ['user.name'],
    when: (f) => f.partnerScopes.includes(PARTNER_SCOPES.CONTACTS_PSEUDONYMOUS),
    effect: 'PSEUDONYM',
    reason: 'PARTNER_PSEUDONYMOUS',
  },
  {
    roles: ['PARTNER'],
    kinds: ['LOCATION'],
    when: (f) => f.partnerScopes.includes(PARTNER_SCOPES.LOCATIONS_COARSE),
    effect: 'GENERALIZE',
    reason: 'PARTNER_MAPPING',
  },
  { roles: ['PARTNER'], effect: 'WITHHOLD', reason: 'PARTNER_NOT_SHARED' },
];
