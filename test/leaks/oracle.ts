/**
 * The leak suite's oracle: the privacy rules written a second time, from the product's stated policy
 * (README "Privacy" and the channel rules), independently of the engine in privacy/. Given a caller,
 * a raw row of the seed and a field, it says what the caller may get: the effect on the value, and
 * from that whether a link is shown, whether the row may match a search or range, and so on.
 *
 * It deliberately imports nothing from privacy/: if the engine and this file disagree, one of them
 * states the rules wrongly, and a failing property says where.
 */
import type { UserRow } from '../../subgraphs/accounts/entities';
import type { CallLogRow } from '../../subgraphs/calls/entities';
import type { ContactRow } from '../../subgraphs/contacts/entities';
import type { LocationPingRow } from '../../subgraphs/location/entities';

export type Role = 'ADMIN' | 'MEMBER' | 'SUPPORT' | 'PARTNER' | 'DPO';
export type Purpose = 'SERVICE' | 'SUPPORT' | 'ANALYTICS' | 'MARKETING' | 'PARTNER_SHARING' | 'LEGAL' | 'RIGHTS_REQUEST';
export type ConsentPurpose = 'CALL_LOG_SYNC' | 'CONTACT_SYNC' | 'LOCATION_TRACKING' | 'CALL_RECORDING' | 'MARKETING' | 'ANALYTICS' | 'PARTNER_SHARING';

export const ROLES: readonly Role[] = ['ADMIN', 'MEMBER', 'SUPPORT', 'PARTNER', 'DPO'];

/** The purposes each role may declare; any other is refused with PURPOSE_NOT_ALLOWED. */
export const ROLE_PURPOSES: Record<Role, readonly Purpose[]> = {
  ADMIN: ['SERVICE', 'ANALYTICS', 'MARKETING', 'RIGHTS_REQUEST'],
  MEMBER: ['SERVICE', 'ANALYTICS', 'MARKETING'],
  SUPPORT: ['SUPPORT'],
  PARTNER: ['PARTNER_SHARING'],
  DPO: ['RIGHTS_REQUEST', 'LEGAL'],
};

/** Effects from least to most strict; when several rules apply, the strictest wins. */
export const EFFECTS = ['FULL', 'GENERALIZE', 'MASK', 'PSEUDONYM', 'WITHHOLD'] as const;
export type Effect = (typeof EFFECTS)[number];
const strictest = (...effects: Effect[]): Effect => effects.reduce((a, b) => (EFFECTS.indexOf(b) > EFFECTS.indexOf(a) ? b : a), 'FULL');

export type Relation = 'SELF' | 'SAME_TEAM' | 'SAME_TENANT';

export interface LeakCaller {
  tenantId: string;
  role: Role;
  /** The user the token names (for SUPPORT and PARTNER: who they act for, never as). */
  userId: string;
  teamId: string | null;
  purpose: Purpose;
  ticket: boolean;
  partner?: { clientId: string; installed: boolean; scopes: readonly string[]; installedBy: string | null };
}

/** What the oracle needs to know about the world beyond the row: consents, restrictions and objections in force now. */
export interface Facts {
  consented(subjectId: string, purpose: ConsentPurpose): boolean;
  /** The person (a user or a contact id) restricted processing of their data. */
  restricted(subjectId: string): boolean;
  /** The person objects to this purpose (MARKETING, ANALYTICS, PARTNER_SHARING). */
  objects(subjectId: string, purpose: Purpose): boolean;
  /** The user's account is closed (expired until retention purges it). */
  closedAccount(userId: string): boolean;
}

/** Under 16 (README "Children"): born after the same calendar day 16 years ago. */
export function isChild(birthDate: string | null | undefined, now = new Date()): boolean {
  if (!birthDate) return false;
  const sixteenYearsAgo = new Date(Date.UTC(now.getUTCFullYear() - 16, now.getUTCMonth(), now.getUTCDate()));
  // A 29 February without a 29 February sixteen years earlier rolls to 1 March: clamp to the month's end instead.
  if (sixteenYearsAgo.getUTCMonth() !== now.getUTCMonth()) sixteenYearsAgo.setUTCDate(0);
  return birthDate > sixteenYearsAgo.toISOString().slice(0, 10);
}

/** A request refused as a whole (nothing of the tenant is shown), or undefined. */
export function refusal(caller: LeakCaller): string | undefined {
  if (!ROLE_PURPOSES[caller.role].includes(caller.purpose)) return 'PURPOSE_NOT_ALLOWED';
  if (caller.role === 'PARTNER' && !caller.partner?.installed) return 'PARTNER_NOT_INSTALLED';
  return undefined;
}

/* ------------------------------------------------------------------ what a value is, and about whom */

/** The kinds of person a value can be about, as in the policy table's columns. */
type Kind = 'USER' | 'CONTACT' | 'CALL_LOG' | 'LOCATION';

/** The part of a kind's data a field is, where the table treats parts differently. */
type Part = 'name' | 'email' | 'phone' | 'workplace' | 'profile' | 'contact_other' | 'call' | 'call_number' | 'call_notes' | 'recording' | 'location';

export const USER_FIELDS = ['name', 'email', 'phone', 'title', 'timezone', 'language'] as const;
export const CONTACT_FIELDS = ['name', 'email', 'phone', 'company', 'address', 'birthDate', 'lastSpokenAt'] as const;
export const CALL_FIELDS = ['direction', 'startedAt', 'durationSeconds', 'disposition', 'counterpartyNumber', 'notes', 'recordingUrl'] as const;
export const PING_FIELDS = ['latitude', 'longitude', 'accuracyMeters', 'recordedAt'] as const;
export type UserField = (typeof USER_FIELDS)[number];
export type ContactField = (typeof CONTACT_FIELDS)[number];
/** `user` and `contact` are the call's links to people: decided as the call's content. */
export type CallField = (typeof CALL_FIELDS)[number] | 'user' | 'contact';
export type PingField = (typeof PING_FIELDS)[number];

const USER_PART: Record<UserField, Part> = { name: 'name', email: 'email', phone: 'phone', title: 'profile', timezone: 'profile', language: 'profile' };
const CONTACT_PART: Record<ContactField, Part> = { name: 'name', email: 'email', phone: 'phone', company: 'workplace', address: 'contact_other', birthDate: 'contact_other', lastSpokenAt: 'contact_other' };
const CALL_PART: Record<CallField, Part> = {
  direction: 'call', startedAt: 'call', durationSeconds: 'call', disposition: 'call', user: 'call', contact: 'call',
  counterpartyNumber: 'call_number', notes: 'call_notes', recordingUrl: 'recording',
};

interface Subject {
  kind: Kind;
  part: Part;
  /** The person the value is about: a user id or a contact id. */
  personId: string;
  /** A contact is never the caller, whatever relation it has through its owner. */
  personIsContact: boolean;
  relation: Relation;
  /** The person is a child (a contact under 16), or may be one as far as this row can tell (a geofence's contact). */
  child?: boolean;
  /** The row is a closed account ("expired": only the user and the DPO read it). */
  expired?: boolean;
}

const SELF_CAPABLE: readonly Role[] = ['ADMIN', 'MEMBER', 'DPO'];

function relationTo(caller: LeakCaller, userId: string | null, teamId: string | null): Relation {
  if (userId && userId === caller.userId && SELF_CAPABLE.includes(caller.role)) return 'SELF';
  if (teamId && teamId === caller.teamId) return 'SAME_TEAM';
  return 'SAME_TENANT';
}

/* ------------------------------------------------------------------------------ the policy table */

function tableEffect(caller: LeakCaller, s: Subject, facts: Facts): Effect {
  if (s.relation === 'SELF') return 'FULL';
  const { kind, part } = s;
  switch (caller.role) {
    case 'DPO':
      return 'FULL';
    case 'ADMIN':
      if (kind === 'USER' || kind === 'CONTACT') return 'FULL';
      if (kind === 'CALL_LOG') return part === 'call_number' ? 'MASK' : part === 'call_notes' ? 'WITHHOLD' : 'FULL';
      return 'GENERALIZE';
    case 'MEMBER':
      if (kind === 'USER') return part === 'phone' ? 'MASK' : 'FULL';
      if (kind === 'CONTACT') return s.relation === 'SAME_TEAM' || part === 'name' || part === 'workplace' ? 'FULL' : 'MASK';
      return 'WITHHOLD';
    case 'SUPPORT':
      if (caller.ticket) return 'FULL';
      if (part === 'call_notes' || part === 'recording') return 'WITHHOLD';
      return kind === 'LOCATION' ? 'GENERALIZE' : 'MASK';
    case 'PARTNER': {
      const scopes = caller.partner?.scopes ?? [];
      if (kind === 'USER' && scopes.includes('profile') && s.personId === caller.partner?.installedBy && (part === 'name' || part === 'email')) return 'FULL';
      if (kind === 'CONTACT' && scopes.includes('contacts.pseudonymous') && part === 'name') return facts.consented(s.personId, 'PARTNER_SHARING') ? 'FULL' : 'PSEUDONYM';
      if (kind === 'LOCATION' && scopes.includes('locations.coarse')) return 'GENERALIZE';
      return 'WITHHOLD';
    }
  }
}

/* ----------------------------------------------------------------------------------------- gates */

function gateEffects(caller: LeakCaller, s: Subject, facts: Facts, recordingConsent: () => boolean): Effect[] {
  // A restriction holds for every role, the DPO too, except the DPO under LEGAL.
  if (facts.restricted(s.personId) && !(caller.role === 'DPO' && caller.purpose === 'LEGAL')) return ['WITHHOLD'];
  if (caller.role === 'DPO') return [];
  const gates: Effect[] = [];
  if (s.part === 'recording' && !recordingConsent()) gates.push('WITHHOLD');
  const aboutSomeoneElse = s.personIsContact || s.relation !== 'SELF';
  if (s.kind === 'LOCATION' && aboutSomeoneElse && !facts.consented(s.personId, 'LOCATION_TRACKING')) gates.push('WITHHOLD');
  if ((caller.purpose === 'ANALYTICS' || caller.purpose === 'MARKETING') && caller.role !== 'PARTNER' && aboutSomeoneElse && !facts.consented(s.personId, caller.purpose)) {
    gates.push('MASK');
  }
  // An objection stops that purpose for the person's data (not for the caller's own).
  if (aboutSomeoneElse && facts.objects(s.personId, caller.purpose)) gates.push('WITHHOLD');
  // A closed account is expired: readable by the user themselves and the DPO, by no one else.
  if (s.expired && s.relation !== 'SELF') gates.push('WITHHOLD');
  if (s.child) {
    if (s.relation !== 'SELF') gates.push('MASK');
    if (caller.purpose === 'MARKETING' || caller.purpose === 'ANALYTICS' || caller.role === 'PARTNER') gates.push('WITHHOLD');
  }
  return gates;
}

function decide(caller: LeakCaller, s: Subject, facts: Facts, recordingConsent: () => boolean = () => true): Effect {
  if (refusal(caller)) return 'WITHHOLD';
  return strictest(tableEffect(caller, s, facts), ...gateEffects(caller, s, facts, recordingConsent));
}

/* ------------------------------------------------------------------------------ per kind of row */

export function userEffect(caller: LeakCaller, user: UserRow, field: UserField, facts: Facts): Effect {
  if (user.tenantId !== caller.tenantId) return 'WITHHOLD';
  return decide(caller, { kind: 'USER', part: USER_PART[field], personId: user.id, personIsContact: false, relation: relationTo(caller, user.id, user.teamId), expired: user.status === 'CLOSED' }, facts);
}

export function contactEffect(caller: LeakCaller, contact: ContactRow, field: ContactField, facts: Facts): Effect {
  if (contact.tenantId !== caller.tenantId) return 'WITHHOLD';
  const relation = relationTo(caller, contact.ownerId, contact.teamId);
  return decide(caller, { kind: 'CONTACT', part: CONTACT_PART[field], personId: contact.id, personIsContact: true, relation, child: isChild(contact.birthDate) }, facts);
}

export function callEffect(caller: LeakCaller, call: CallLogRow, field: CallField, facts: Facts): Effect {
  if (call.tenantId !== caller.tenantId) return 'WITHHOLD';
  // One datum, one field: a known contact's number is served only as that contact's phone.
  if (field === 'counterpartyNumber' && call.contactId) return 'WITHHOLD';
  // A call log is its user's data: a closed account's calls are expired with it.
  const subject: Subject = { kind: 'CALL_LOG', part: CALL_PART[field], personId: call.userId, personIsContact: false, relation: relationTo(caller, call.userId, null), expired: facts.closedAccount(call.userId) };
  return decide(caller, subject, facts, () => call.contactId !== null && facts.consented(call.contactId, 'CALL_RECORDING'));
}

export function pingEffect(caller: LeakCaller, ping: LocationPingRow, _field: PingField, facts: Facts): Effect {
  if (ping.tenantId !== caller.tenantId) return 'WITHHOLD';
  return decide(caller, { kind: 'LOCATION', part: 'location', personId: ping.userId, personIsContact: false, relation: relationTo(caller, ping.userId, null), expired: facts.closedAccount(ping.userId) }, facts);
}

/**
 * `Geofence.contact`: decided as the contact's address, relation SAME_TENANT (the owner is unknown
 * there), and as a child's (the contact's age is unknown there too).
 */
export function geofenceContactEffect(caller: LeakCaller, contact: ContactRow, facts: Facts): Effect {
  if (contact.tenantId !== caller.tenantId) return 'WITHHOLD';
  return decide(caller, { kind: 'CONTACT', part: 'contact_other', personId: contact.id, personIsContact: true, relation: 'SAME_TENANT', child: true }, facts);
}

/* ------------------------------------------------------------------------ what follows from it */

/** A link to a person (and a row listed through one) is shown only under FULL or GENERALIZE. */
export const linkShown = (effect: Effect): boolean => effect === 'FULL' || effect === 'GENERALIZE';

/** Nobody has consented to anything, restrictions and objections as they are: what search, lookups and ranges may rely on. */
export const withoutConsents = (facts: Facts): Facts => ({ consented: () => false, restricted: (id) => facts.restricted(id), objects: (id, purpose) => facts.objects(id, purpose), closedAccount: (id) => facts.closedAccount(id) });

/** A row matches a search, lookup or range on a field only where the caller sees it in FULL without any consent. */
export const matchable = (effectWithoutConsents: Effect): boolean => effectWithoutConsents === 'FULL';

/** How much of a date the caller sees, for ordering: FULL, truncated, or nothing. */
export function dateVisibility(effect: Effect): 'exact' | 'hour' | 'day' | 'none' {
  return effect === 'FULL' ? 'exact' : effect === 'GENERALIZE' ? 'hour' : effect === 'MASK' ? 'day' : 'none';
}
