import { consentNeeds, decide, mayNeedConsents, type CallerFacts, type SubjectFacts } from '../../privacy/decide';
import { CATEGORIES, CONSENT_PURPOSES, EFFECTS, PURPOSE_DEFINITIONS, ROLE_PURPOSES, ROLES, SUBJECT_KINDS, RELATIONS, covers, mayActOnConsent, strictness, type ConsentPurpose, type Role } from '../../privacy/policy';

const caller = (role: Role, extra: Partial<CallerFacts> = {}): CallerFacts => ({ role, purpose: ROLE_PURPOSES[role][0]!, ticket: false, partnerScopes: [], ...extra });
const contact = (extra: Partial<SubjectFacts> = {}): SubjectFacts => ({ kind: 'CONTACT', relation: 'SAME_TEAM', ...extra });

describe('decide()', () => {
  it('answers every combination with a known effect and a reason', () => {
    for (const role of ROLES)
      for (const purpose of ROLE_PURPOSES[role])
        for (const kind of SUBJECT_KINDS)
          for (const relation of RELATIONS)
            for (const category of CATEGORIES) {
              const decision = decide(caller(role, { purpose }), { kind, relation, consents: new Set(['LOCATION_TRACKING', 'CALL_RECORDING']), counterpartConsents: new Set(['CALL_RECORDING']) }, category);
              expect(EFFECTS).toContain(decision.effect);
              expect(decision.reason).toMatch(/^[A-Z_]+$/);
            }
  });

  it('applies the rules that hold for every role before the table, in order', () => {
    // A restricted subject is withheld from everyone but the DPO on LEGAL, even from an ADMIN or its owner.
    expect(decide(caller('ADMIN'), contact({ restricted: true }), 'user.contact.email')).toEqual({ effect: 'WITHHOLD', reason: 'RESTRICTED' });
    expect(decide(caller('MEMBER'), contact({ restricted: true, relation: 'SELF' }), 'user.name')).toEqual({ effect: 'WITHHOLD', reason: 'RESTRICTED' });
    expect(decide(caller('DPO', { purpose: 'LEGAL' }), contact({ restricted: true }), 'user.contact.email').effect).toBe('FULL');
    expect(decide(caller('DPO', { purpose: 'RIGHTS_REQUEST' }), contact({ restricted: true }), 'user.contact.email').reason).toBe('RESTRICTED');
    // No recording without the contact's recording consent, even on one's own call.
    expect(decide(caller('MEMBER'), { kind: 'CALL_LOG', relation: 'SELF' }, 'user.biometric.voice')).toEqual({ effect: 'WITHHOLD', reason: 'NO_RECORDING_CONSENT' });
    expect(decide(caller('MEMBER'), { kind: 'CALL_LOG', relation: 'SELF', counterpartConsents: new Set(['CALL_RECORDING']) }, 'user.biometric.voice').effect).toBe('FULL');
    // Others' locations only with their tracking consent; one's own always.
    expect(decide(caller('ADMIN'), { kind: 'LOCATION', relation: 'SAME_TEAM' }, 'user.location.precise').reason).toBe('NO_LOCATION_CONSENT');
    expect(decide(caller('MEMBER'), { kind: 'LOCATION', relation: 'SELF' }, 'user.location.precise').effect).toBe('FULL');
    // A consent-based purpose needs the subject's consent, also for a rep's own contact.
    expect(decide(caller('MEMBER', { purpose: 'MARKETING' }), contact({ relation: 'SELF' }), 'user.contact.email')).toEqual({ effect: 'MASK', reason: 'NO_CONSENT' });
    expect(decide(caller('MEMBER', { purpose: 'MARKETING' }), contact({ consents: new Set(['MARKETING']) }), 'user.contact.email').effect).toBe('FULL');
    // A purpose the role may not use gets nothing.
    expect(decide(caller('MEMBER', { purpose: 'LEGAL' }), contact(), 'user.name')).toEqual({ effect: 'WITHHOLD', reason: 'PURPOSE_NOT_ALLOWED' });
  });

  it('stops an objected purpose for that person, whatever they consented to', () => {
    const marketing = caller('MEMBER', { purpose: 'MARKETING' });
    expect(decide(marketing, contact({ consents: new Set(['MARKETING']), objected: true }), 'user.contact.email')).toEqual({ effect: 'WITHHOLD', reason: 'OBJECTED' });
    expect(decide(marketing, contact({ consents: new Set(['MARKETING']) }), 'user.contact.email').effect).toBe('FULL');
    const partner = caller('PARTNER', { partnerScopes: ['contacts.pseudonymous'] });
    expect(decide(partner, contact({ relation: 'SAME_TENANT', consents: new Set(['PARTNER_SHARING']), objected: true }), 'user.name').reason).toBe('OBJECTED');
    // Data about the caller themselves is not theirs to object to in their own requests.
    expect(decide(caller('MEMBER', { purpose: 'ANALYTICS' }), { kind: 'USER', relation: 'SELF', objected: true }, 'user.name').effect).toBe('FULL');
  });

  it('protects a child: masked but for its owner and the DPO, never for marketing, analytics or partners', () => {
    const child = (extra: Partial<SubjectFacts> = {}) => contact({ child: true, ...extra });
    expect(decide(caller('ADMIN'), child({ relation: 'SAME_TENANT' }), 'user.contact.email')).toEqual({ effect: 'MASK', reason: 'CHILD' });
    expect(decide(caller('MEMBER'), child({ relation: 'SAME_TEAM' }), 'user.name')).toEqual({ effect: 'MASK', reason: 'CHILD' });
    expect(decide(caller('MEMBER'), child({ relation: 'SELF' }), 'user.contact.email').effect).toBe('FULL');
    expect(decide(caller('DPO'), child({ relation: 'SAME_TENANT' }), 'user.contact.email').effect).toBe('FULL');
    expect(decide(caller('SUPPORT', { ticket: true }), child({ relation: 'SAME_TENANT' }), 'user.name').effect).toBe('MASK');
    for (const purpose of ['MARKETING', 'ANALYTICS'] as const)
      expect(decide(caller('MEMBER', { purpose }), child({ relation: 'SELF', consents: new Set([purpose]) }), 'user.name')).toEqual({ effect: 'WITHHOLD', reason: 'CHILD_NO_PROFILING' });
    const partner = caller('PARTNER', { partnerScopes: ['contacts.pseudonymous'] });
    expect(decide(partner, child({ relation: 'SAME_TENANT', consents: new Set(['PARTNER_SHARING']) }), 'user.name')).toEqual({ effect: 'WITHHOLD', reason: 'CHILD_NOT_SHARED' });
  });

  it('lets only the user and the DPO read an expired (closed) account', () => {
    const expired = (relation: 'SELF' | 'SAME_TEAM' | 'SAME_TENANT', extra: Partial<SubjectFacts> = {}): SubjectFacts => ({ kind: 'USER', relation, expired: true, ...extra });
    expect(decide(caller('MEMBER'), expired('SELF'), 'user.contact.email').effect).toBe('FULL');
    expect(decide(caller('ADMIN'), expired('SELF'), 'user.contact.phone_number').effect).toBe('FULL');
    for (const purpose of ['RIGHTS_REQUEST', 'LEGAL'] as const) expect(decide(caller('DPO', { purpose }), expired('SAME_TENANT'), 'user.name').effect).toBe('FULL');
    expect(decide(caller('ADMIN'), expired('SAME_TENANT'), 'user.name')).toEqual({ effect: 'WITHHOLD', reason: 'ACCOUNT_EXPIRED' });
    expect(decide(caller('MEMBER'), expired('SAME_TEAM'), 'user.name')).toEqual({ effect: 'WITHHOLD', reason: 'ACCOUNT_EXPIRED' });
    expect(decide(caller('SUPPORT', { ticket: true }), expired('SAME_TENANT'), 'user.contact.email')).toEqual({ effect: 'WITHHOLD', reason: 'ACCOUNT_EXPIRED' });
    const partner = caller('PARTNER', { partnerScopes: ['profile'] });
    expect(decide(partner, expired('SAME_TENANT', { installedCallerApp: true }), 'user.name')).toEqual({ effect: 'WITHHOLD', reason: 'ACCOUNT_EXPIRED' });
    // The same rows while the account is open: the gate is the only difference.
    expect(decide(caller('ADMIN'), { kind: 'USER', relation: 'SAME_TENANT' }, 'user.name').effect).toBe('FULL');
    expect(decide(partner, { kind: 'USER', relation: 'SAME_TENANT', installedCallerApp: true }, 'user.name').effect).toBe('FULL');
  });

  it('gives partners only what the installation and consent allow', () => {
    const partner = caller('PARTNER', { partnerScopes: ['profile', 'contacts.pseudonymous'] });
    expect(decide(partner, { kind: 'USER', relation: 'SAME_TENANT', installedCallerApp: true }, 'user.contact.email').effect).toBe('FULL');
    expect(decide(partner, { kind: 'USER', relation: 'SAME_TENANT', installedCallerApp: false }, 'user.contact.email').effect).toBe('WITHHOLD');
    expect(decide(partner, contact(), 'user.name').effect).toBe('PSEUDONYM');
    expect(decide(partner, contact({ consents: new Set(['PARTNER_SHARING']) }), 'user.name').effect).toBe('FULL');
    expect(decide(caller('PARTNER', { partnerScopes: ['profile'] }), contact(), 'user.name').effect).toBe('WITHHOLD');
    const maps = caller('PARTNER', { partnerScopes: ['locations.coarse'] });
    expect(decide(maps, { kind: 'LOCATION', relation: 'SAME_TENANT', consents: new Set(['LOCATION_TRACKING']) }, 'user.location.precise').effect).toBe('GENERALIZE');
    expect(decide(maps, contact(), 'user.contact.phone_number').effect).toBe('WITHHOLD');
  });

  it('never rules out a consent that consentNeeds() would ask for', () => {
    for (const role of ROLES)
      for (const purpose of ROLE_PURPOSES[role])
        for (const kind of SUBJECT_KINDS)
          for (const relation of RELATIONS)
            for (const category of CATEGORIES) {
              const needs = consentNeeds(caller(role, { purpose }), { kind, relation }, category);
              if (needs.subject || needs.counterpart) expect({ role, purpose, category, may: mayNeedConsents(caller(role, { purpose }), [category]) }).toMatchObject({ may: true });
            }
    expect(mayNeedConsents(caller('ADMIN'), ['user.contact.email', 'user.device.call_log'])).toBe(false);
  });

  it('says which consents it will need, so they are loaded only then', () => {
    expect(consentNeeds(caller('ADMIN'), contact(), 'user.contact.email')).toEqual({ subject: false, counterpart: false });
    expect(consentNeeds(caller('ADMIN', { purpose: 'ANALYTICS' }), contact(), 'user.contact.email').subject).toBe(true);
    expect(consentNeeds(caller('ADMIN'), { kind: 'LOCATION', relation: 'SAME_TENANT' }, 'user.location.precise').subject).toBe(true);
    expect(consentNeeds(caller('MEMBER'), { kind: 'LOCATION', relation: 'SELF' }, 'user.location.precise').subject).toBe(false);
    expect(consentNeeds(caller('ADMIN'), { kind: 'CALL_LOG', relation: 'SAME_TENANT' }, 'user.biometric.voice').counterpart).toBe(true);
  });
});

describe('policy composition', () => {
  it('orders effects from least to most strict, and a gate never loosens the grant', () => {
    expect(EFFECTS).toEqual(['FULL', 'GENERALIZE', 'MASK', 'PSEUDONYM', 'WITHHOLD']);
    expect(strictness('WITHHOLD')).toBeGreaterThan(strictness('PSEUDONYM'));
    expect(strictness('PSEUDONYM')).toBeGreaterThan(strictness('MASK'));
    // The table withholds a colleague's call from a rep; the ANALYTICS gate (MASK without consent) cannot turn that into a mask.
    expect(decide(caller('MEMBER', { purpose: 'ANALYTICS' }), { kind: 'CALL_LOG', relation: 'SAME_TENANT' }, 'user.device.call_log')).toEqual({ effect: 'WITHHOLD', reason: 'SELF_CONSUMPTION_ONLY' });
    expect(decide(caller('MEMBER', { purpose: 'MARKETING' }), { kind: 'LOCATION', relation: 'SAME_TENANT' }, 'user.location.precise').effect).toBe('WITHHOLD');
    // …while a FULL grant does become a mask without the person's consent.
    expect(decide(caller('ADMIN', { purpose: 'ANALYTICS' }), { kind: 'CALL_LOG', relation: 'SAME_TENANT' }, 'user.device.call_log')).toEqual({ effect: 'MASK', reason: 'NO_CONSENT' });
  });

  it('never shows more under a consent-based purpose than under SERVICE, whatever the consents', () => {
    const consentSets: ReadonlySet<ConsentPurpose>[] = [new Set(), new Set(CONSENT_PURPOSES), new Set(['ANALYTICS']), new Set(['MARKETING', 'LOCATION_TRACKING'])];
    for (const role of ROLES) {
      if (!ROLE_PURPOSES[role].includes('SERVICE')) continue;
      for (const purpose of ROLE_PURPOSES[role].filter((p) => PURPOSE_DEFINITIONS[p].basis === 'CONSENT'))
        for (const kind of SUBJECT_KINDS)
          for (const relation of RELATIONS)
            for (const category of CATEGORIES)
              for (const consents of consentSets)
                for (const installedCallerApp of [false, true]) {
                  const subject: SubjectFacts = { kind, relation, consents, counterpartConsents: consents, installedCallerApp, hasCounterpart: true };
                  const service = decide(caller(role), subject, category);
                  const consentBased = decide(caller(role, { purpose }), subject, category);
                  expect({ role, purpose, kind, relation, category, looser: strictness(consentBased.effect) < strictness(service.effect) }).toMatchObject({ looser: false });
                }
    }
  });

  it('reads categories as a hierarchy: a rule on a category covers the narrower ones', () => {
    expect(covers('user.device.call_log', 'user.device.call_log.number')).toBe(true);
    expect(covers('user.device.call_log', 'user.device.call_log')).toBe(true);
    expect(covers('user.device.call_log.number', 'user.device.call_log')).toBe(false);
    expect(covers('user.contact.email', 'user.contact.phone_number')).toBe(false);
    // The ADMIN's row on call logs reaches the call's link fields' category; its narrower rows win for number and notes.
    expect(decide(caller('ADMIN'), { kind: 'CALL_LOG', relation: 'SAME_TENANT' }, 'user.device.call_log.notes').reason).toBe('ADMIN_CALL_NOTES');
  });

  it('gives a partner a consenting contact’s name and nothing more', () => {
    const partner = caller('PARTNER', { partnerScopes: ['contacts.pseudonymous'] });
    const consenting = contact({ consents: new Set(['PARTNER_SHARING']) });
    expect(decide(partner, consenting, 'user.name').effect).toBe('FULL');
    for (const category of CATEGORIES.filter((c) => c !== 'user.name')) expect({ category, effect: decide(partner, consenting, category).effect }).toEqual({ category, effect: 'WITHHOLD' });
  });

  it('routes a known contact’s number to the contact: the call’s own number field withholds it for every role, the DPO too', () => {
    for (const role of ROLES) {
      const decision = decide(caller(role, { ticket: true }), { kind: 'CALL_LOG', relation: 'SAME_TENANT', hasCounterpart: true }, 'user.device.call_log.number');
      expect({ role, decision }).toEqual({ role, decision: { effect: 'WITHHOLD', reason: role === 'PARTNER' || role === 'MEMBER' ? expect.any(String) : 'CONTACT_NUMBER' } });
    }
    expect(decide(caller('DPO'), { kind: 'CALL_LOG', relation: 'SAME_TENANT', hasCounterpart: false }, 'user.device.call_log.number').effect).toBe('FULL');
  });
});

describe('consent authority', () => {
  const user = { type: 'USER' as const, id: 'u-1' };
  const contactOf = (ownerId: string | null) => ({ type: 'CONTACT' as const, id: 'c-1', ownerId });

  it('lets only the user record their own consent, whatever the caller’s role', () => {
    expect(mayActOnConsent({ role: 'MEMBER', userId: 'u-1' }, user, 'GRANT')).toBe(true);
    expect(mayActOnConsent({ role: 'ADMIN', userId: 'u-1' }, user, 'WITHDRAW')).toBe(true);
    for (const role of ROLES) {
      expect({ role, grant: mayActOnConsent({ role, userId: 'u-2' }, user, 'GRANT') }).toEqual({ role, grant: false });
      expect({ role, withdraw: mayActOnConsent({ role, userId: 'u-2' }, user, 'WITHDRAW') }).toEqual({ role, withdraw: false });
    }
    // A partner app or a support agent acting with that user's id is still not the user.
    expect(mayActOnConsent({ role: 'PARTNER', userId: 'u-1' }, user, 'GRANT')).toBe(false);
    expect(mayActOnConsent({ role: 'SUPPORT', userId: 'u-1' }, user, 'GRANT')).toBe(false);
  });

  it('lets a contact’s owner or an ADMIN record a contact’s consent, and the DPO only its withdrawal', () => {
    expect(mayActOnConsent({ role: 'MEMBER', userId: 'owner' }, contactOf('owner'), 'GRANT')).toBe(true);
    expect(mayActOnConsent({ role: 'MEMBER', userId: 'other' }, contactOf('owner'), 'GRANT')).toBe(false);
    expect(mayActOnConsent({ role: 'ADMIN', userId: 'other' }, contactOf('owner'), 'GRANT')).toBe(true);
    expect(mayActOnConsent({ role: 'DPO', userId: 'other' }, contactOf('owner'), 'GRANT')).toBe(false);
    expect(mayActOnConsent({ role: 'DPO', userId: 'other' }, contactOf('owner'), 'WITHDRAW')).toBe(true);
    expect(mayActOnConsent({ role: 'PARTNER', userId: 'owner' }, contactOf('owner'), 'GRANT')).toBe(false);
    expect(mayActOnConsent({ role: 'MEMBER', userId: 'owner' }, contactOf(null), 'GRANT')).toBe(false);
  });
});
