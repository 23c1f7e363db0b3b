import { DEV_AUDIT_KEY } from '../../platform/env';
import { AuditLog } from '../../privacy/store/audit';
import { auditAppendedBy } from '../helpers/audit';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let audit: AuditLog;
const acme = () => t.demo.tenants[0]!;
const CONTACTS = '{ contacts(first: 5) { nodes { id name email } } }';
const ticket = { id: 'T-1001', reason: 'Customer asked for help with their contacts', expiresAt: new Date(Date.now() + 3600_000).toISOString() };

beforeAll(async () => {
  t = await startTestStack();
  audit = new AuditLog(t.stack.stores.privacy, DEV_AUDIT_KEY);
});
afterAll(() => t.close());

const appendedBy = (work: () => Promise<unknown>) => auditAppendedBy(audit, acme().id, work);

describe('audit of disclosures', () => {
  it('records what a SUPPORT agent with a ticket was shown: who, why, which fields, whose data', async () => {
    const token = await t.tokenFor('SUPPORT', { claims: { ticket } });
    let ids: string[] = [];
    const records = await appendedBy(async () => {
      const res = await t.query(CONTACTS, { token });
      expect(res.body.errors).toBeUndefined();
      ids = res.body.data.contacts.nodes.map((c: { id: string }) => c.id);
    });
    // The disclosure, and with it the use of the ticket (break-glass): one batch, one request.
    expect(records.map((r) => r.action)).toEqual(['DISCLOSURE', 'SUPPORT_TICKET_USE']);
    const [record, use] = records;
    expect(record).toMatchObject({ actorRole: 'SUPPORT', purpose: 'SUPPORT', ticketId: 'T-1001', service: 'contacts', action: 'DISCLOSURE', partnerClientId: null });
    expect(use).toMatchObject({ ticketId: 'T-1001', requestId: record!.requestId, sequence: record!.sequence + 1 });
    expect(JSON.parse(use!.detail)).toEqual({ ticket: 'T-1001', reason: ticket.reason, expiresAt: ticket.expiresAt });
    expect(JSON.parse(record!.detail)).toEqual({ fields: { 'Contact.email': { FULL: ids.length }, 'Contact.name': { FULL: ids.length } } });
    const subjects = await audit.subjectsOf(record!.id);
    expect(subjects.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(subjects.every((s) => s.type === 'CONTACT')).toBe(true);
  });

  it('records masked disclosures too, and one record per subgraph that disclosed', async () => {
    const token = await t.tokenFor('SUPPORT');
    const records = await appendedBy(() => t.query('{ contacts(first: 3) { nodes { name owner { name } } } }', { token }));
    expect(records.map((r) => r.service).sort()).toEqual(['accounts', 'contacts']);
    expect(records.every((r) => r.ticketId === null && r.requestId === records[0]!.requestId)).toBe(true);
    const contacts = records.find((r) => r.service === 'contacts')!;
    expect(JSON.parse(contacts.detail).fields['Contact.name']).toEqual({ MASK: 3 });
  });

  it('counts a link to a person as a disclosure: who made a call, and to whom', async () => {
    const token = await t.tokenFor('SUPPORT', { claims: { ticket } });
    const call = t.demo.callLogs.find((c) => c.tenantId === acme().id && c.contactId)!;
    const records = await appendedBy(async () => {
      const res = await t.query(`{ callLog(id: "${call.id}") { id user { id } contact { id } } }`, { token });
      expect(res.body.data.callLog).toEqual({ id: call.id, user: { id: call.userId }, contact: { id: call.contactId } });
    });
    expect(records.map((r) => `${r.service}:${r.action}`)).toEqual(['calls:DISCLOSURE', 'calls:SUPPORT_TICKET_USE']);
    expect(JSON.parse(records[0]!.detail)).toEqual({ fields: { 'CallLog.contact': { FULL: 1 }, 'CallLog.user': { FULL: 1 } } });
    const subjects = await audit.subjectsOf(records[0]!.id);
    expect(subjects.map((s) => `${s.type}:${s.id}`).sort()).toEqual([`CONTACT:${call.contactId}`, `USER:${call.userId}`].sort());
  });

  it('writes nothing for the tenant’s own staff, nor when nothing personal was shown', async () => {
    const admin = await t.tokenFor('ADMIN');
    const support = await t.tokenFor('SUPPORT', { claims: { ticket } });
    const records = await appendedBy(async () => {
      await t.query(CONTACTS, { token: admin });
      await t.query(CONTACTS, { token: await t.tokenFor('MEMBER') });
      await t.query('{ contacts(first: 3) { nodes { id } } }', { token: support });
    });
    expect(records).toEqual([]);
  });

  it('chains every record to the one before, so any edit or removal is detected', async () => {
    const token = await t.tokenFor('DPO');
    await t.query('{ contacts(first: 2) { nodes { name } } }', { token, headers: { 'x-purpose': 'LEGAL' } });
    const chain = await audit.records(acme().id);
    expect(chain.length).toBeGreaterThanOrEqual(4);
    expect(await audit.verify(acme().id)).toEqual({ ok: true, records: chain.length });

    const store = t.stack.stores.privacy;
    const table = (name: string) => store.driver.escape(name);
    const target = chain[1]!;
    const edited = target.detail.replace(/"FULL":\d+/, '"FULL":1');
    await store.query(`UPDATE ${table('audit_records')} SET ${table('detail')} = ? WHERE ${table('id')} = ?`, [edited === target.detail ? '{}' : edited, target.id]);
    expect(await audit.verify(acme().id)).toMatchObject({ ok: false, brokenAt: 2 });
    await store.query(`UPDATE ${table('audit_records')} SET ${table('detail')} = ? WHERE ${table('id')} = ?`, [target.detail, target.id]);
    expect((await audit.verify(acme().id)).ok).toBe(true);

    await store.query(`DELETE FROM ${table('audit_subjects')} WHERE ${table('auditId')} = ?`, [chain[0]!.id]);
    expect(await audit.verify(acme().id)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('keeps one unbroken chain per tenant when many writers append at once', async () => {
    const tenantId = t.demo.tenants[1]!.id;
    const entry = (i: number) => ({
      tenantId,
      actorId: t.demo.users[0]!.id,
      actorRole: 'DPO',
      purpose: 'LEGAL',
      ticketId: null,
      partnerClientId: null,
      requestId: `concurrent-${i}`,
      correlationId: null,
      service: 'test',
      action: 'DISCLOSURE',
      detail: '{}',
    });
    await Promise.all(Array.from({ length: 12 }, (_, i) => audit.append(entry(i), [{ type: 'USER', id: t.demo.users[i % 3]!.id }])));
    const chain = await audit.records(tenantId);
    expect(chain.map((r) => r.sequence)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await audit.verify(tenantId)).toEqual({ ok: true, records: 12 });
  });
});

describe('under graphql-shield’s own executor', () => {
  let shielded: TestStack;
  beforeAll(async () => {
    shielded = await startTestStack({ subgraph: { privacyEngine: 'shield' } });
  });
  afterAll(() => shielded.close());

  it('records the same disclosure as the compiled rules', async () => {
    const token = await shielded.tokenFor('SUPPORT', { claims: { ticket } });
    const res = await shielded.query(CONTACTS, { token });
    const shown = res.body.data.contacts.nodes.length;
    const [record] = await new AuditLog(shielded.stack.stores.privacy, DEV_AUDIT_KEY).records(shielded.demo.tenants[0]!.id);
    expect(JSON.parse(record!.detail)).toEqual({ fields: { 'Contact.email': { FULL: shown }, 'Contact.name': { FULL: shown } } });
  });
});

describe('when the audit log cannot be written', () => {
  let broken: TestStack;
  beforeAll(async () => {
    broken = await startTestStack();
    const store = broken.stack.stores.privacy;
    await store.query(`DROP TABLE ${store.driver.escape('audit_subjects')}`);
  });
  afterAll(() => broken.close());

  it('withholds the audited answer with AUDIT_UNAVAILABLE and leaves no half-written record', async () => {
    const token = await broken.tokenFor('SUPPORT', { claims: { ticket } });
    const res = await broken.query(CONTACTS, { token });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('AUDIT_UNAVAILABLE');
    expect(res.body.data?.contacts ?? null).toBeNull();
    expect(JSON.stringify(res.body)).not.toContain('@');
    expect(await new AuditLog(broken.stack.stores.privacy, DEV_AUDIT_KEY).records(broken.demo.tenants[0]!.id)).toEqual([]);

    const admin = await broken.tokenFor('ADMIN');
    expect((await broken.query(CONTACTS, { token: admin })).body.data.contacts.nodes).toHaveLength(5);
  });
});
