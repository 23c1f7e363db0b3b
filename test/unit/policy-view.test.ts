import fs from 'node:fs';
import { parse } from 'graphql';
import { readClassification } from '../../privacy/classification';
import type { CallerFacts } from '../../privacy/decide';
import { policyView, SUBJECT_KIND_OF_TYPE, type FieldPolicy } from '../../privacy/policy-view';
import { DEFAULT_SUPERGRAPH_PATH } from '../../schema';

const classification = readClassification(parse(fs.readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8')));
const caller = (facts: Partial<CallerFacts>): CallerFacts => ({ role: 'MEMBER', purpose: 'SERVICE', ticket: false, partnerScopes: [], ...facts });
const field = (view: FieldPolicy[], name: string) => view.find((f) => `${f.type}.${f.field}` === name)!;

describe('policy view', () => {
  it('lists every personal field of the supergraph once, with its category and subject kind', () => {
    const personal = [...classification].flatMap(([type, fields]) => [...fields].filter(([, c]) => c.personal).map(([name]) => `${type}.${name}`));
    const view = policyView(classification, caller({}));
    expect(view.map((f) => `${f.type}.${f.field}`).sort()).toEqual(personal.sort());
    expect(field(view, 'CallLog.counterpartyNumber')).toMatchObject({ category: 'user.device.call_log.number', kind: 'CALL_LOG' });
    // Every type that holds personal data says whose data it is.
    for (const type of new Set(view.map((f) => f.type))) expect(SUBJECT_KIND_OF_TYPE[type]).toBeDefined();
  });

  it('refuses a type with personal fields but no subject kind, rather than guessing', () => {
    const extra = readClassification(parse('type Device { serial: String @personal(category: "user.name") }'));
    expect(() => policyView(extra, caller({}))).toThrow(/Device/);
  });

  it('gives a sales rep the team\'s contacts in full and other teams\' masked', () => {
    const phone = field(policyView(classification, caller({})), 'Contact.phone').relations;
    expect(phone.SAME_TEAM.withoutConsent).toEqual({ effect: 'FULL', reason: 'TEAM_CONTACT' });
    expect(phone.SAME_TENANT.withoutConsent).toEqual({ effect: 'MASK', reason: 'OTHER_TEAM_CONTACT' });
    expect(phone.SAME_TENANT.withEveryConsent).toEqual(phone.SAME_TENANT.withoutConsent);
  });

  it('shows where consent changes the answer: a partner and a contact who agreed to partner sharing', () => {
    const view = policyView(classification, caller({ role: 'PARTNER', purpose: 'PARTNER_SHARING', partnerScopes: ['profile', 'contacts.pseudonymous'] }));
    expect(field(view, 'Contact.name').relations.SAME_TENANT).toEqual({
      withoutConsent: { effect: 'PSEUDONYM', reason: 'PARTNER_PSEUDONYMOUS' },
      withEveryConsent: { effect: 'FULL', reason: 'PARTNER_SHARING_CONSENT' },
    });
    // The user a partner app acts for installed it: their name goes out in full.
    expect(field(view, 'User.name').relations.SELF.withoutConsent).toEqual({ effect: 'FULL', reason: 'PARTNER_INSTALLER' });
    expect(field(view, 'User.name').relations.SAME_TEAM.withoutConsent).toEqual({ effect: 'WITHHOLD', reason: 'PARTNER_NOT_SHARED' });
  });

  it('refuses everything for a purpose the role may not use', () => {
    const view = policyView(classification, caller({ role: 'MEMBER', purpose: 'LEGAL' }));
    for (const f of view) for (const policy of Object.values(f.relations)) expect(policy.withEveryConsent.reason).toBe('PURPOSE_NOT_ALLOWED');
  });
});
