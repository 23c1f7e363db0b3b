import type { TestStack } from '../helpers/stack';
import { startTestStack } from '../helpers/stack';

let t: TestStack;
let admin: string;

beforeAll(async () => {
  t = await startTestStack();
  admin = await t.tokenFor('ADMIN');
});
afterAll(() => t.close());

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1;

/** A child's values are masked for an ADMIN who does not own the contact: a search never matches them. */
const searchable = (c: { tenantId: string; birthDate: string | null; ownerId: string | null }): boolean => {
  const adminId = t.demo.users.find((u) => u.tenantId === c.tenantId)!.id;
  return !(c.birthDate && c.birthDate > `${new Date().getUTCFullYear() - 16}-12-31` && c.ownerId !== adminId);
};

describe('queries through the gateway', () => {
  it('answers me with data from accounts, contacts, calls and location', async () => {
    const me = t.demo.users.find((u) => u.tenantId === t.demo.tenants[0]!.id)!;
    const res = await t.query(
      `{ me { id name email phone status team { name } tenant { name emailDomain }
          contacts(first: 100) { totalCount nodes { id owner { id } } }
          calls(first: 1) { totalCount }
          lastLocation { latitude longitude recordedAt }
          locations(first: 3) { totalCount nodes { recordedAt } } } }`,
      { token: admin },
    );
    expect(res.body.errors).toBeUndefined();
    const data = res.body.data.me;
    expect(data).toMatchObject({ id: me.id, name: me.name, email: me.email, phone: me.phone, status: me.status });
    expect(data.team.name).toBe(t.demo.teams.find((team) => team.id === me.teamId)!.name);
    expect(data.tenant).toEqual({ name: t.demo.tenants[0]!.name, emailDomain: t.demo.tenants[0]!.emailDomain });

    const owned = t.demo.contacts.filter((c) => c.ownerId === me.id);
    expect(data.contacts.totalCount).toBe(owned.length);
    expect(data.contacts.nodes.map((c: { id: string }) => c.id)).toEqual([...owned].sort(byName).map((c) => c.id));
    expect(data.contacts.nodes.every((c: { owner: { id: string } }) => c.owner.id === me.id)).toBe(true);

    expect(data.calls.totalCount).toBe(t.demo.callLogs.filter((c) => c.userId === me.id).length);
    const pings = t.demo.locationPings.filter((p) => p.userId === me.id).sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime());
    expect(data.lastLocation).toEqual({ latitude: pings[0]!.latitude, longitude: pings[0]!.longitude, recordedAt: pings[0]!.recordedAt.toISOString() });
    expect(data.locations.totalCount).toBe(pings.length);
    expect(data.locations.nodes.map((p: { recordedAt: string }) => p.recordedAt)).toEqual(pings.slice(0, 3).map((p) => p.recordedAt.toISOString()));
  });

  it('walks every page of users with cursors, in name order, without gaps or repeats', async () => {
    // An expired (closed) account's name is withheld from the ADMIN: it comes after the others, by id.
    const users = t.demo.users.filter((u) => u.tenantId === t.demo.tenants[0]!.id);
    const expected = [
      ...users.filter((u) => u.status !== 'CLOSED').sort(byName).map((u) => u.id),
      ...users.filter((u) => u.status === 'CLOSED').map((u) => u.id).sort(),
    ];
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const res: any = await t.query('query($after: String) { users(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }', {
        token: admin,
        variables: { after },
      });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.users.totalCount).toBe(expected.length);
      seen.push(...res.body.data.users.nodes.map((n: { id: string }) => n.id));
      if (!res.body.data.users.pageInfo.hasNextPage) break;
      after = res.body.data.users.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('lists a contact’s calls newest first with paging, and its last call', async () => {
    const tenant = t.demo.tenants[0]!.id;
    const counts = new Map<string, number>();
    for (const call of t.demo.callLogs) if (call.contactId && call.tenantId === tenant) counts.set(call.contactId, (counts.get(call.contactId) ?? 0) + 1);
    const [contactId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const calls = t.demo.callLogs
      .filter((c) => c.contactId === contactId)
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1));

    const first = await t.query(
      'query($id: ID!) { contact(id: $id) { calls(first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { id startedAt user { id } contact { id } } } lastCall { id } } }',
      { token: admin, variables: { id: contactId } },
    );
    expect(first.body.errors).toBeUndefined();
    const page1 = first.body.data.contact.calls;
    expect(page1.totalCount).toBe(calls.length);
    expect(page1.nodes.map((n: { id: string }) => n.id)).toEqual(calls.slice(0, 3).map((c) => c.id));
    expect(page1.nodes[0].user.id).toBe(calls[0]!.userId);
    expect(page1.nodes[0].contact.id).toBe(contactId);
    expect(first.body.data.contact.lastCall.id).toBe(calls[0]!.id);

    const second = await t.query('query($id: ID!, $after: String) { contact(id: $id) { calls(first: 3, after: $after) { nodes { id } } } }', {
      token: admin,
      variables: { id: contactId, after: page1.pageInfo.endCursor },
    });
    expect(second.body.data.contact.calls.nodes.map((n: { id: string }) => n.id)).toEqual(calls.slice(3, 6).map((c) => c.id));
  });

  it('filters a user’s calls to [from, to)', async () => {
    const me = t.demo.users.find((u) => u.tenantId === t.demo.tenants[0]!.id)!;
    const from = new Date('2026-09-01T00:00:00.000Z');
    const to = new Date('2026-10-01T00:00:00.000Z');
    const expected = t.demo.callLogs.filter((c) => c.userId === me.id && c.startedAt >= from && c.startedAt < to);
    const res = await t.query('query($from: DateTime, $to: DateTime) { me { calls(first: 100, from: $from, to: $to) { totalCount nodes { startedAt } } } }', {
      token: admin,
      variables: { from: from.toISOString(), to: to.toISOString() },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.me.calls.totalCount).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
    for (const node of res.body.data.me.calls.nodes) {
      const at = new Date(node.startedAt);
      expect(at >= from && at < to).toBe(true);
    }
  });

  it('searches contacts by the beginning of a word, and treats LIKE wildcards literally', async () => {
    const tenant = t.demo.tenants[0]!.id;
    const surname = t.demo.contacts.find((c) => c.tenantId === tenant)!.name.split(' ')[1]!;
    // As the README puts it: a field matches when the search's word begins one of its words
    // (words split at anything but letters and digits, compared without case or accents).
    const words = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u);
    const prefix = words(surname.slice(0, 4))[0]!;
    const expected = t.demo.contacts.filter((c) => c.tenantId === tenant && searchable(c) && [c.name, c.email, c.phone, c.company].some((v) => v && words(v).some((w) => w.startsWith(prefix))));
    expect(expected.length).toBeGreaterThan(0);
    const res = await t.query('query($q: String) { contacts(first: 100, search: $q) { totalCount nodes { name } } }', { token: admin, variables: { q: surname.slice(0, 4) } });
    expect(res.body.data.contacts.totalCount).toBe(expected.length);
    expect(res.body.data.contacts.nodes).toHaveLength(expected.length);
    // A word inside another word is not a match: the search is by the beginning of words.
    const inner = t.demo.contacts.find((c) => c.tenantId === tenant && words(c.name).some((w) => w.length >= 6))!;
    const middle = words(inner.name).find((w) => w.length >= 6)!.slice(2, 6);
    const innerExpected = t.demo.contacts.filter((c) => c.tenantId === tenant && searchable(c) && [c.name, c.email, c.phone, c.company].some((v) => v && words(v).some((w) => w.startsWith(middle))));
    const innerRes = await t.query('query($q: String) { contacts(first: 100, search: $q) { totalCount } }', { token: admin, variables: { q: middle } });
    expect(innerRes.body.data.contacts.totalCount).toBe(innerExpected.length);
  });

  it('matches every word of a search in one field', async () => {
    const tenant = t.demo.tenants[0]!.id;
    const contact = t.demo.contacts.find((c) => c.tenantId === tenant && c.name.split(' ').length >= 2)!;
    const [first, last] = contact.name.split(' ') as [string, string];
    const res = await t.query('query($q: String) { contacts(first: 100, search: $q) { nodes { id name } } }', {
      token: admin,
      variables: { q: `${last.slice(0, 3)}, ${first.slice(0, 2)}` },
    });
    const words = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u);
    const wanted = [last.slice(0, 3), first.slice(0, 2)].map((w) => words(w)[0]!);
    const byId = new Map(t.demo.contacts.map((c) => [c.id, c]));
    const ids = res.body.data.contacts.nodes.map((n: { id: string }) => n.id);
    expect(ids).toContain(contact.id);
    for (const id of ids) {
      const c = byId.get(id)!;
      const oneFieldHasAll = [c.name, c.email, c.phone, c.company].some((v) => v && wanted.every((w) => words(v).some((word) => word.startsWith(w))));
      expect(oneFieldHasAll).toBe(true);
    }
  });

  it('finds a whole surname; punctuation alone matches nothing', async () => {
    const tenant = t.demo.tenants[0]!.id;
    const surname = t.demo.contacts.find((c) => c.tenantId === tenant)!.name.split(' ')[1]!;
    const words = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u);
    const expected = t.demo.contacts.filter((c) => c.tenantId === tenant && searchable(c) && [c.name, c.email, c.phone, c.company].some((v) => v && words(v).some((w) => w.startsWith(words(surname)[0]!))));
    const res = await t.query('query($q: String) { contacts(first: 100, search: $q) { totalCount nodes { name } } }', { token: admin, variables: { q: surname } });
    expect(res.body.data.contacts.totalCount).toBe(expected.length);
    expect(res.body.data.contacts.nodes).toHaveLength(expected.length);

    const wildcard = await t.query('{ contacts(first: 5, search: "%") { totalCount } }', { token: admin });
    expect(wildcard.body.data.contacts.totalCount).toBe(0);
  });

  it('finds a contact by phone written with spaces and dashes', async () => {
    const contact = t.demo.contacts.find((c) => c.tenantId === t.demo.tenants[0]!.id && c.phone)!;
    const spaced = `${contact.phone!.slice(0, 3)} ${contact.phone!.slice(3, 8)}-${contact.phone!.slice(8)}`;
    const res = await t.query('query($p: String!) { contactByPhone(phone: $p) { id name } }', { token: admin, variables: { p: spaced } });
    expect(res.body.data.contactByPhone).toEqual({ id: contact.id, name: contact.name });
  });

  it('lists geofences with their contacts and a team’s members', async () => {
    const tenant = t.demo.tenants[0]!.id;
    // A fence at a contact's site is that contact's address, of a person whose age the fence cannot
    // tell: masked for an ADMIN (name, centre, link), so listed after the fences of no one, by id.
    const all = t.demo.geofences.filter((g) => g.tenantId === tenant);
    const fences = [...all.filter((g) => !g.contactId).sort(byName), ...all.filter((g) => g.contactId).sort((a, b) => (a.id < b.id ? -1 : 1))];
    const res = await t.query('{ geofences(first: 50) { totalCount nodes { id radiusMeters contact { id name } } } tenant { teams { id members(first: 50) { totalCount nodes { id } } } } }', { token: admin });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.geofences.totalCount).toBe(fences.length);
    expect(res.body.data.geofences.nodes.map((n: { id: string }) => n.id)).toEqual(fences.map((f) => f.id));
    for (const [i, fence] of fences.entries()) expect(res.body.data.geofences.nodes[i].contact).toBeNull();
    expect(fences.some((f) => f.contactId)).toBe(true);
    for (const team of res.body.data.tenant.teams) {
      expect(team.members.totalCount).toBe(t.demo.users.filter((u) => u.teamId === team.id).length);
    }
  });
});
