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
    // of the four subgraph fetches one read of the restrictions and objections in force
    expect(small.statements).toBe(large.statements);
    expect(large.statements).toBeLessThanOrEqual(9);
  });
});
