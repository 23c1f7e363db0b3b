import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let token: string;

beforeAll(async () => {
  t = await startTestStack();
  token = await t.tokenFor('ADMIN');
});
afterAll(() => t.close());

function expectCode(res: { body: { errors?: { extensions?: Record<string, unknown>; message: string }[] } }, code: string) {
  expect(res.body.errors).toBeDefined();
  const error = res.body.errors![0]!;
  expect(error.extensions?.code).toBe(code);
  expect(error.extensions).not.toHaveProperty('stacktrace');
  expect(error.extensions).not.toHaveProperty('exception');
}

describe('bad input', () => {
  it('returns null, not an error, for an unknown id of every entity', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await t.query(`query($id: ID!) { user(id: $id) { id } contact(id: $id) { id } callLog(id: $id) { id } }`, { token, variables: { id: unknown } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ user: null, contact: null, callLog: null });
  });

  it.each([
    ['user', '{ user(id: "not-an-id") { id } }'],
    ['contact', '{ contact(id: "1 OR 1=1") { id } }'],
    ['callLog', '{ callLog(id: "") { id } }'],
  ])('refuses a malformed id on %s with BAD_USER_INPUT', async (_field, query) => {
    expectCode(await t.query(query, { token }), 'BAD_USER_INPUT');
  });

  it.each([0, -1, 101, 100000])('refuses first = %d with BAD_USER_INPUT', async (first) => {
    const res = await t.query('query($first: Int) { contacts(first: $first) { totalCount } }', { token, variables: { first } });
    expectCode(res, 'BAD_USER_INPUT');
    expect(res.body.data ?? null).toBeNull();
  });

  it('refuses first out of range on a nested list too', async () => {
    const res = await t.query('{ me { calls(first: 500) { totalCount } } }', { token });
    expectCode(res, 'BAD_USER_INPUT');
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['JSON of the wrong shape', Buffer.from(JSON.stringify({ a: 1 })).toString('base64url')],
  ])('refuses a bad cursor (%s) with BAD_USER_INPUT', async (_kind, after) => {
    const res = await t.query('query($after: String) { users(first: 5, after: $after) { totalCount } }', { token, variables: { after } });
    expectCode(res, 'BAD_USER_INPUT');
  });

  it('pages to the end with opaque cursors, and refuses one that was altered, cut or made for another list or caller', async () => {
    const page = (after?: string, by = token) =>
      t.query('query($after: String) { users(first: 4, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }', { token: by, variables: { after } });
    const seen: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (let i = 0; i < 20; i += 1) {
      const res = await page(after);
      expect(res.body.errors).toBeUndefined();
      seen.push(...res.body.data.users.nodes.map((n: { id: string }) => n.id));
      total = res.body.data.users.totalCount;
      if (!res.body.data.users.pageInfo.hasNextPage) break;
      after = res.body.data.users.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(total);

    const cursor = (await page()).body.data.users.pageInfo.endCursor as string;
    const flipped = `${cursor.slice(0, 10)}${cursor[10] === 'A' ? 'B' : 'A'}${cursor.slice(11)}`;
    for (const bad of [flipped, cursor.slice(0, cursor.length - 4)]) expectCode(await page(bad), 'BAD_USER_INPUT');
    // Bound to its list: a users cursor does not page contacts.
    const contacts = await t.query('query($after: String) { contacts(first: 2, after: $after) { nodes { id } } }', { token, variables: { after: cursor } });
    expectCode(contacts, 'BAD_USER_INPUT');
    // Bound to its caller: another user of the same tenant cannot use it.
    expectCode(await page(cursor, await t.tokenFor('MEMBER')), 'BAD_USER_INPUT');
  });

  it.each([['a NUL character', 'a\u0000'], ['a control character', 'ab\u0007'], ['only blanks', '   ']])('refuses a search of %s instead of matching every contact', async (_kind, search) => {
    const res = await t.query('query($s: String) { contacts(first: 5, search: $s) { totalCount nodes { id } } }', { token, variables: { s: search } });
    expectCode(res, 'BAD_USER_INPUT');
    expect(res.body.data ?? null).toBeNull();
  });

  it('refuses a phone that is not E.164, without echoing it', async () => {
    const res = await t.query('{ contactByPhone(phone: "call me maybe 4321") { id } }', { token });
    expectCode(res, 'BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).not.toContain("4321");
  });

  it('refuses an invalid DateTime and a reversed range', async () => {
    expectCode(await t.query('{ me { calls(first: 5, from: "yesterday") { totalCount } } }', { token }), 'BAD_USER_INPUT');
    expectCode(await t.query('{ me { calls(first: 5, from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { totalCount } } }', { token }), 'BAD_USER_INPUT');
  });

  it('refuses an empty or oversized search', async () => {
    expectCode(await t.query('{ contacts(first: 5, search: "   ") { totalCount } }', { token }), 'BAD_USER_INPUT');
    expectCode(await t.query('query($q: String) { contacts(first: 5, search: $q) { totalCount } }', { token, variables: { q: 'x'.repeat(101) } }), 'BAD_USER_INPUT');
  });

  it('answers a syntax error and an unknown field with a code and no stack trace', async () => {
    expectCode(await t.query('{ me { ', { token }), 'GRAPHQL_PARSE_FAILED');
    expectCode(await t.query('{ me { password } }', { token }), 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses an unknown purpose', async () => {
    expectCode(await t.query('{ me { id } }', { token, headers: { 'x-purpose': 'SELLING' } }), 'BAD_USER_INPUT');
  });
});
