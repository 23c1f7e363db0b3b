import { randomUUID } from 'node:crypto';
import { ContactEntity, ContactSearchTokenEntity, type ContactRow } from '../../subgraphs/contacts/entities';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t.close());

async function found(search: string, tenant: 0 | 1): Promise<{ ids: string[]; totalCount: number }> {
  const res = await t.query('query($q: String) { contacts(first: 100, search: $q) { totalCount nodes { id } } }', {
    token: await t.tokenFor('ADMIN', { tenant }),
    variables: { q: search },
  });
  expect(res.body.errors).toBeUndefined();
  return { ids: res.body.data.contacts.nodes.map((n: { id: string }) => n.id), totalCount: res.body.data.contacts.totalCount };
}

describe('the contacts search index', () => {
  it('follows inserts, changes, tenant moves and deletes, whoever writes the rows', async () => {
    const [a, b] = t.demo.tenants.map((tenant) => tenant.id) as [string, string];
    const contacts = t.stack.stores.contacts.getRepository(ContactEntity);
    const now = new Date();
    const row: ContactRow = {
      id: randomUUID(), tenantId: a, ownerId: null, teamId: null, name: 'Zébulon Quartzwright', email: 'zq@imported.example', phone: null,
      company: 'Xylophonics', address: null,
    birthDate: null, source: 'IMPORT', stage: 'LEAD', lastSpokenAt: null, createdAt: now, updatedAt: now,
    };
    // Written straight to the table, as an import would: the next search indexes it first.
    await contacts.insert(row);
    expect(await found('zebu quartz', 0)).toEqual({ ids: [row.id], totalCount: 1 });
    expect(await found('xylo', 0)).toEqual({ ids: [row.id], totalCount: 1 });
    // Every word must begin a word of one field: "zebu" is in the name, "xylo" in the company.
    expect(await found('zebu xylo', 0)).toEqual({ ids: [], totalCount: 0 });

    await contacts.update({ id: row.id }, { name: 'Yolanda Quartzwright' });
    expect((await found('zebu', 0)).ids).toEqual([]);
    expect((await found('yola', 0)).ids).toEqual([row.id]);

    await contacts.update({ id: row.id }, { tenantId: b });
    expect((await found('yola', 0)).ids).toEqual([]);
    expect((await found('yola', 1)).ids).toEqual([row.id]);

    await contacts.delete({ id: row.id });
    expect((await found('yola', 1)).ids).toEqual([]);
    expect(await t.stack.stores.contacts.getRepository(ContactSearchTokenEntity).countBy({ contactId: row.id })).toBe(0);
  });

  it('holds the words of every seeded contact', async () => {
    const tokens = t.stack.stores.contacts.getRepository(ContactSearchTokenEntity);
    const contact = t.demo.contacts.find((c) => c.email && c.company)!;
    const held = (await tokens.findBy({ contactId: contact.id })).map((r) => `${r.field}:${r.token}`);
    const [local] = contact.email!.toLowerCase().split(/[^a-z0-9]+/);
    expect(held).toEqual(expect.arrayContaining([`name:${contact.name.split(' ')[0]!.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()}`, `email:${local}`]));
  });
});
