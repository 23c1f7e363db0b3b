import { GraphQLError } from 'graphql';
import { parseFirst, parseWindow, toConnection } from '../../subgraphs/shared/pagination';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return (error as GraphQLError).extensions.code;
  }
  return 'no error';
};

describe('pagination arguments', () => {
  it('accepts first from 1 to 100 and refuses the rest', () => {
    expect(parseFirst(1)).toBe(1);
    expect(parseFirst(100)).toBe(100);
    for (const bad of [0, 101, -5, 2.5, '10', null, Number.NaN]) expect(codeOf(() => parseFirst(bad))).toBe('BAD_USER_INPUT');
  });

  it('refuses a cursor that is not even shaped like one, before anything opens it', () => {
    for (const bad of ['', '!!!', 'x'.repeat(500), 42]) expect(codeOf(() => parseWindow({ first: 5, after: bad }))).toBe('BAD_USER_INPUT');
    expect(parseWindow({ first: 5, after: 'abc_DEF-123' }).after).toBe('abc_DEF-123');
  });

  it('refuses a time window whose start is after its end', () => {
    expect(codeOf(() => parseWindow({ first: 5, from: new Date('2026-02-01'), to: new Date('2026-01-01') }))).toBe('BAD_USER_INPUT');
    expect(parseWindow({ first: 5, from: new Date('2026-01-01'), to: new Date('2026-02-01') }).first).toBe(5);
  });
});

describe('toConnection', () => {
  const rows = [1, 2, 3, 4].map((n) => ({ name: `n${n}`, id: `id${n}` }));
  const keyOf = (r: { name: string; id: string }): string => `cursor-of-${r.id}`;

  it('uses the look-ahead row to tell that a next page exists, and drops it', async () => {
    const connection = toConnection(rows, 3, keyOf, async () => 10);
    expect(connection.nodes).toHaveLength(3);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(connection.pageInfo.endCursor).toBe('cursor-of-id3');
    expect(await connection.totalCount()).toBe(10);
  });

  it('has no next page and no cursor when the page is empty', () => {
    const connection = toConnection([], 3, keyOf, async () => 0);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
