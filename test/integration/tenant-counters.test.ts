import { randomUUID } from 'node:crypto';
import { ContactEntity, type ContactRow } from '../../subgraphs/contacts/entities';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t.close());

async function totals(): Promise<[number, number]> {
  const counts: number[] = [];
  for (const tenant of [0, 1]) {
    const res = await t.query('{ contacts(first: 1) { totalCount } }', { token: await t.tokenFor('ADMIN', { tenant }) });
    expect(res.body.errors).toBeUndefined();
    counts.push(res.body.data.contacts.totalCount);
  }
  return counts as [number, number];
}

describe('per-tenant counters behind totalCount', () => {
  it('follow every insert, delete and change of tenant, whoever writes the rows', async () => {
    const [a, b] = t.demo.tenants.map((tenant) => tenant.id) as [string, string];
    const perTenant = (id: string) => t.demo.contacts.filter((c) => c.tenantId === id).length;
    expect(await totals()).toEqual([perTenant(a), perTenant(b)]);

    // Written straight to the table, as an import would: the triggers keep the counters in step.
    const contacts = t.stack.stores.contacts.getRepository(ContactEntity);
    const now = new Date();
    const row = (tenantId: string): ContactRow => ({
      id: randomUUID(), tenantId, ownerId: null, teamId: null, name: 'Imported Contact', email: null, phone: null, company: null,
      address: null,
    birthDate: null, source: 'IMPORT', stage: 'LEAD', lastSpokenAt: null, createdAt: now, updatedAt: now,
    });
    const added = [row(a), row(a), row(a)];
    await contacts.insert(added);
    expect(await totals()).toEqual([perTenant(a) + 3, perTenant(b)]);

    await contacts.delete({ id: added[0]!.id });
    await contacts.update({ id: added[1]!.id }, { tenantId: b });
    expect(await totals()).toEqual([perTenant(a) + 1, perTenant(b) + 1]);

    const list = await t.query('{ contacts(first: 100) { totalCount nodes { id } } }', { token: await t.tokenFor('ADMIN', { tenant: 1 }) });
    expect(list.body.data.contacts.nodes.map((n: { id: string }) => n.id)).toContain(added[1]!.id);
  });
});
