import { sqlStatistics } from '../../platform/database';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let token: string;

beforeAll(async () => {
  t = await startTestStack();
  token = await t.tokenFor('ADMIN');
});
afterAll(() => t.close());

const QUERY = `query($first: Int!) {
  contacts(first: $first) {
    nodes {
      id name
      owner { id name }
      calls(first: 5) { nodes { id startedAt user { id name } } }
      lastCall { id startedAt }
    }
  }
}`;

async function statementsFor(first: number): Promise<{ statements: number; contacts: number; calls: number }> {
  const before = sqlStatistics.statements;
  const res = await t.query(QUERY, { token, variables: { first } });
  expect(res.body.errors).toBeUndefined();
  const nodes = res.body.data.contacts.nodes as { calls: { nodes: unknown[] } }[];
  return { statements: sqlStatistics.statements - before, contacts: nodes.length, calls: nodes.reduce((n, c) => n + c.calls.nodes.length, 0) };
}

describe('batching', () => {
  it('runs the same number of SQL statements for 10 and for 100 contacts', async () => {
    const small = await statementsFor(10);
    const large = await statementsFor(100);
    expect(small.contacts).toBe(10);
    expect(large.contacts).toBe(100);
    expect(large.calls).toBeGreaterThan(small.calls * 5);
    // contacts page, owners, calls page per contact, last call per contact, call users; and in each
    // of the three subgraphs one read of the restrictions and objections in force
    expect(small.statements).toBe(large.statements);
    expect(large.statements).toBeLessThanOrEqual(6 + 3);
  });

  it('gives each of more than a hundred parents in one batch the page it has alone, newest first, with the right look-ahead', async () => {
    // Every user's contacts in one response: the calls subgraph gets all of them in one _entities
    // fetch, more parents than one statement reads.
    const res = await t.query(
      `{ users(first: 20) { nodes { contacts(first: 25) { nodes { id calls(first: 2) { totalCount pageInfo { hasNextPage } nodes { id startedAt } } } } } } }`,
      { token },
    );
    expect(res.body.errors).toBeUndefined();
    type Calls = { totalCount: number; pageInfo: { hasNextPage: boolean }; nodes: { id: string; startedAt: string }[] };
    const contacts = (res.body.data.users.nodes as { contacts: { nodes: { id: string; calls: Calls }[] } }[]).flatMap((u) => u.contacts.nodes);
    expect(contacts.length).toBeGreaterThan(100);
    let withCalls = 0;
    for (const contact of contacts) {
      const alone = await t.query('query($id: ID!) { contact(id: $id) { calls(first: 2) { totalCount pageInfo { hasNextPage } nodes { id startedAt } } } }', { token, variables: { id: contact.id } });
      expect(alone.body.errors).toBeUndefined();
      expect(contact.calls).toEqual(alone.body.data.contact.calls);
      // The page agrees with the count, which another statement makes: two rows, then more or not.
      const { totalCount, pageInfo, nodes } = contact.calls;
      expect(nodes.length).toBe(Math.min(2, totalCount));
      expect(pageInfo.hasNextPage).toBe(totalCount > 2);
      if (nodes.length === 2) expect(nodes[0]!.startedAt >= nodes[1]!.startedAt).toBe(true);
      if (nodes.length > 0) withCalls += 1;
    }
    expect(withCalls).toBeGreaterThan(50);
  });
});
