import type { PrivacyExtension } from '../../privacy/enforcement/notices';
import { ProcessingControlStore } from '../../privacy/store/controls';
import { hiddenValues } from '../helpers/privacy';
import { startTestStack, type TestStack } from '../helpers/stack';

/**
 * Restriction, objection and children, end to end through the gateway: a control put in force in
 * the privacy store holds from the next request, on values and on the channels (search, counts).
 */
let t: TestStack;
let controls: ProcessingControlStore;

beforeAll(async () => {
  t = await startTestStack();
  controls = new ProcessingControlStore(t.stack.stores.privacy);
});
afterAll(() => t.close());

const CONTACT_FIELDS = 'id name email phone company address birthDate';

async function ask(role: 'ADMIN' | 'MEMBER' | 'DPO' | 'PARTNER' | 'SUPPORT', query: string, options: { user?: string; purpose?: string; variables?: Record<string, unknown>; claims?: Record<string, unknown> } = {}) {
  const token = await t.tokenFor(role, { user: options.user, claims: options.claims as never });
  const res = await t.query(query, { token, variables: options.variables, headers: options.purpose ? { 'x-purpose': options.purpose } : {} });
  expect(res.body.errors).toBeUndefined();
  return res;
}

const tenant = () => t.demo.tenants[0]!;
const contactsOfTenant = () => t.demo.contacts.filter((c) => c.tenantId === tenant().id);
const adult = (index: number) => contactsOfTenant().filter((c) => !c.birthDate || c.birthDate < '2000-01-01')[index]!;

describe('restriction', () => {
  it('withholds every personal value of the person from the next request, for every role but the DPO under LEGAL, and lifts', async () => {
    const contact = adult(4);
    const query = `query($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`;
    const before = await ask('ADMIN', query, { variables: { id: contact.id } });
    expect(before.body.data.contact.name).toBe(contact.name);

    await controls.set(contact.tenantId, { type: 'CONTACT', id: contact.id }, { kind: 'RESTRICTION' }, { requestId: null, recordedBy: 'test' });
    for (const [role, purpose] of [['ADMIN', 'SERVICE'], ['DPO', 'RIGHTS_REQUEST'], ['SUPPORT', 'SUPPORT']] as const) {
      const res = await ask(role, query, { variables: { id: contact.id }, purpose, claims: role === 'SUPPORT' ? { ticket: { id: 'T-1', reason: 'help', expiresAt: new Date(Date.now() + 3600_000).toISOString() } } : undefined });
      const got = res.body.data.contact;
      expect(got.id).toBe(contact.id);
      for (const field of ['name', 'email', 'phone', 'company', 'address', 'birthDate']) expect(got[field]).toBeNull();
      const reasons = new Set(hiddenValues(res.body.extensions?.privacy as PrivacyExtension).map((h) => h.reason));
      expect(reasons).toEqual(new Set(['RESTRICTED']));
    }
    const legal = await ask('DPO', query, { variables: { id: contact.id }, purpose: 'LEGAL' });
    expect(legal.body.data.contact.name).toBe(contact.name);

    await controls.lift(contact.tenantId, { type: 'CONTACT', id: contact.id }, { kind: 'RESTRICTION' });
    const after = await ask('ADMIN', query, { variables: { id: contact.id } });
    expect(after.body.data.contact.email).toBe(contact.email);
  });

  it('keeps a restricted person out of search, lookups and their counts', async () => {
    const contact = contactsOfTenant().find((c) => c.phone && c.email && (!c.birthDate || c.birthDate < '2000-01-01') && contactsOfTenant().filter((o) => o.email === c.email).length === 1)!;
    const search = 'query($s: String!) { contacts(search: $s, first: 50) { totalCount nodes { id } } }';
    const byPhone = 'query($p: String!) { contactByPhone(phone: $p) { id name } }';
    const found = await ask('ADMIN', search, { variables: { s: contact.email } });
    expect(found.body.data.contacts.nodes.map((n: { id: string }) => n.id)).toContain(contact.id);
    const count = found.body.data.contacts.totalCount;

    await controls.set(contact.tenantId, { type: 'CONTACT', id: contact.id }, { kind: 'RESTRICTION' }, { requestId: null, recordedBy: 'test' });
    try {
      const hidden = await ask('ADMIN', search, { variables: { s: contact.email } });
      expect(hidden.body.data.contacts.nodes.map((n: { id: string }) => n.id)).not.toContain(contact.id);
      expect(hidden.body.data.contacts.totalCount).toBe(count - 1);
      const lookup = await ask('ADMIN', byPhone, { variables: { p: contact.phone } });
      expect(lookup.body.data.contactByPhone).toBeNull();
      const legal = await ask('DPO', search, { variables: { s: contact.email }, purpose: 'LEGAL' });
      expect(legal.body.data.contacts.nodes.map((n: { id: string }) => n.id)).toContain(contact.id);
    } finally {
      await controls.lift(contact.tenantId, { type: 'CONTACT', id: contact.id }, { kind: 'RESTRICTION' });
    }
  });
});

describe('objection', () => {
  it('stops the objected purpose for that person whatever they consented to, and only that purpose', async () => {
    const contact = adult(9);
    const owner = contact.ownerId!;
    const query = `query($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`;
    const consent = 'mutation($id: ID!) { grantConsent(subject: { type: CONTACT, id: $id }, purpose: MARKETING, source: "web") { status } }';
    await ask('ADMIN', consent, { variables: { id: contact.id } });
    const consented = await ask('MEMBER', query, { user: owner, purpose: 'MARKETING', variables: { id: contact.id } });
    expect(consented.body.data.contact.name).toBe(contact.name);

    await controls.set(contact.tenantId, { type: 'CONTACT', id: contact.id }, { kind: 'OBJECTION', purpose: 'MARKETING' }, { requestId: null, recordedBy: 'test' });
    const objected = await ask('MEMBER', query, { user: owner, purpose: 'MARKETING', variables: { id: contact.id } });
    expect(objected.body.data.contact.name).toBeNull();
    expect(hiddenValues(objected.body.extensions?.privacy as PrivacyExtension).every((h) => h.reason === 'OBJECTED')).toBe(true);
    const service = await ask('MEMBER', query, { user: owner, purpose: 'SERVICE', variables: { id: contact.id } });
    expect(service.body.data.contact.name).toBe(contact.name);
    await controls.lift(contact.tenantId, { type: 'CONTACT', id: contact.id }, { kind: 'OBJECTION', purpose: 'MARKETING' });
  });
});

describe('children', () => {
  const child = () => contactsOfTenant().find((c) => c.birthDate && c.birthDate > '2012-01-01' && c.ownerId)!;

  it('are seeded, so the rule is exercised', () => {
    expect(child()).toBeDefined();
  });

  it('is masked for all but its owner and the DPO', async () => {
    const contact = child();
    const query = `query($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`;
    const owner = await ask('MEMBER', query, { user: contact.ownerId!, variables: { id: contact.id } });
    expect(owner.body.data.contact).toMatchObject({ name: contact.name, birthDate: contact.birthDate, email: contact.email });
    const dpo = await ask('DPO', query, { variables: { id: contact.id } });
    expect(dpo.body.data.contact.birthDate).toBe(contact.birthDate);

    const admins = t.demo.users.filter((u) => u.tenantId === contact.tenantId);
    const admin = await ask('ADMIN', query, { user: admins.find((u) => u.id !== contact.ownerId)!.id, variables: { id: contact.id } });
    expect(admin.body.data.contact.name).not.toBe(contact.name);
    expect(admin.body.data.contact.birthDate).toBeNull();
    expect(hiddenValues(admin.body.extensions?.privacy as PrivacyExtension).some((h) => h.reason === 'CHILD')).toBe(true);
  });

  it('is never used for marketing or analytics, nor shared with partners, whatever the consents say', async () => {
    const contact = child();
    for (const purpose of ['MARKETING', 'ANALYTICS', 'PARTNER_SHARING'] as const) {
      await ask('ADMIN', `mutation($id: ID!) { grantConsent(subject: { type: CONTACT, id: $id }, purpose: ${purpose}, source: "web") { status } }`, { variables: { id: contact.id } });
    }
    const query = `query($id: ID!) { contact(id: $id) { id name email } }`;
    for (const purpose of ['MARKETING', 'ANALYTICS']) {
      const res = await ask('MEMBER', query, { user: contact.ownerId!, purpose, variables: { id: contact.id } });
      expect(res.body.data.contact.name).toBeNull();
      expect(hiddenValues(res.body.extensions?.privacy as PrivacyExtension).map((h) => h.reason)).toContain('CHILD_NO_PROFILING');
    }
    const installation = t.demo.partnerInstallations.find((i) => i.tenantId === contact.tenantId && !i.uninstalledAt && i.scopes.includes('contacts.pseudonymous'))!;
    const partner = await ask('PARTNER', query, { user: installation.installedBy, claims: { partner: installation.clientId }, variables: { id: contact.id } });
    expect(partner.body.data.contact?.name ?? null).toBeNull();
  });
});
