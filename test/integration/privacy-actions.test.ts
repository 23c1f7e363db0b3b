import { DEV_AUDIT_KEY } from '../../platform/env';
import { AuditLog } from '../../privacy/store/audit';
import { auditAppendedBy } from '../helpers/audit';
import { startTestStack, type TestStack } from '../helpers/stack';

/**
 * Privacy actions outside rights requests are audited once per request, in one batch with its
 * disclosures: consent changes, partner installs and uninstalls, account status changes, and the
 * use of a support ticket. Details name purposes, apps, scopes and statuses, never a personal value.
 */
let t: TestStack;
let audit: AuditLog;
const acme = () => t.demo.tenants[0]!;

beforeAll(async () => {
  t = await startTestStack();
  audit = new AuditLog(t.stack.stores.privacy, DEV_AUDIT_KEY);
});
afterAll(() => t.close());

const appendedBy = (work: () => Promise<unknown>) => auditAppendedBy(audit, acme().id, work);

const ok = (res: { body: { errors?: unknown[] } }) => expect(res.body.errors).toBeUndefined();

describe('audit of privacy actions', () => {
  it('records a consent change with its purpose, source and subject, and two changes of one request in one batch', async () => {
    const admin = await t.tokenFor('ADMIN');
    const contact = t.demo.contacts.find((c) => c.tenantId === acme().id)!;
    const records = await appendedBy(async () =>
      ok(
        await t.query(
          `mutation($s: ConsentSubjectInput!) { a: grantConsent(subject: $s, purpose: MARKETING, source: "web-form") { status } b: withdrawConsent(subject: $s, purpose: ANALYTICS, source: "web-form") { status } }`,
          { token: admin, variables: { s: { type: 'CONTACT', id: contact.id } } },
        ),
      ),
    );
    expect(records.map((r) => r.action)).toEqual(['CONSENT_GRANT', 'CONSENT_WITHDRAW']);
    expect(records[1]!.sequence).toBe(records[0]!.sequence + 1);
    expect(new Set(records.map((r) => r.requestId)).size).toBe(1);
    expect(records[0]).toMatchObject({ actorRole: 'ADMIN', service: 'contacts' });
    expect(JSON.parse(records[0]!.detail)).toEqual({ purpose: 'MARKETING', source: 'web-form' });
    expect(JSON.parse(records[1]!.detail)).toEqual({ purpose: 'ANALYTICS', source: 'web-form' });
    expect(await audit.subjectsOf(records[0]!.id)).toEqual([{ type: 'CONTACT', id: contact.id }]);
    for (const r of records) for (const value of [contact.name, contact.email, contact.phone].filter(Boolean) as string[]) expect(r.detail).not.toContain(value);
  });

  it('records nothing for a refused consent change', async () => {
    const member = await t.tokenFor('MEMBER');
    const other = t.demo.users.find((u) => u.tenantId === acme().id && u.id !== t.demo.users.find((x) => x.tenantId === acme().id)!.id)!;
    const records = await appendedBy(async () => {
      const res = await t.query(`mutation { grantConsent(subject: { type: USER, id: "${other.id}" }, purpose: ANALYTICS) { status } }`, { token: member });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
    expect(records).toEqual([]);
  });

  it('records a partner app install and uninstall, and no uninstall of an app that was not installed', async () => {
    const admin = await t.tokenFor('ADMIN');
    const uninstalled = await appendedBy(async () => ok(await t.query('mutation { uninstallPartnerApp(clientId: "maps-app") }', { token: admin })));
    expect(uninstalled.map((r) => r.action)).toEqual(['PARTNER_UNINSTALL']);
    expect(JSON.parse(uninstalled[0]!.detail)).toEqual({ clientId: 'maps-app' });
    const installed = await appendedBy(async () => ok(await t.query('mutation { installPartnerApp(clientId: "maps-app") { clientId } }', { token: admin })));
    expect(installed.map((r) => r.action)).toEqual(['PARTNER_INSTALL']);
    expect(installed[0]).toMatchObject({ actorRole: 'ADMIN', service: 'accounts' });
    expect(JSON.parse(installed[0]!.detail)).toEqual({ clientId: 'maps-app', scopes: ['locations.coarse'] });
    const again = await appendedBy(async () => {
      ok(await t.query('mutation { uninstallPartnerApp(clientId: "maps-app") }', { token: admin }));
      ok(await t.query('mutation { uninstallPartnerApp(clientId: "maps-app") }', { token: admin }));
    });
    expect(again.map((r) => r.action)).toEqual(['PARTNER_UNINSTALL']);
    ok(await t.query('mutation { installPartnerApp(clientId: "maps-app") { clientId } }', { token: admin }));
  });

  it("records a support ticket's use (break-glass) only when data was seen under it", async () => {
    const ticket = { id: 'T-2002', reason: 'Sync fails for the north team', expiresAt: new Date(Date.now() + 3600_000).toISOString() };
    const withTicket = await t.tokenFor('SUPPORT', { claims: { ticket } });
    const used = await appendedBy(async () => ok(await t.query('{ users(first: 2) { nodes { name } } }', { token: withTicket })));
    expect(used.map((r) => r.action)).toEqual(['DISCLOSURE', 'SUPPORT_TICKET_USE']);
    expect(JSON.parse(used[1]!.detail)).toEqual({ ticket: 'T-2002', reason: ticket.reason, expiresAt: ticket.expiresAt });
    const withoutTicket = await t.tokenFor('SUPPORT');
    const masked = await appendedBy(async () => ok(await t.query('{ users(first: 2) { nodes { name } } }', { token: withoutTicket })));
    expect(masked.map((r) => r.action)).toEqual(['DISCLOSURE']);
    const nothingSeen = await appendedBy(async () => ok(await t.query('{ caller { role } }', { token: withTicket })));
    expect(nothingSeen).toEqual([]);
  });

  it('verifies the chain with every kind of record in it', async () => {
    expect(await audit.verify(acme().id)).toEqual({ ok: true, records: expect.any(Number) });
  });
});
