import { GraphQLError } from 'graphql';
import { encodeCursor, parseCursor, parseFirst, parseWindow, toConnection } from '../../subgraphs/shared/pagination';

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

  it('round-trips a cursor and refuses tampered ones', () => {
    const cursor = encodeCursor(['2026-01-01T00:00:00.000Z', 'abc']);
    expect(parseCursor(cursor)).toEqual(['2026-01-01T00:00:00.000Z', 'abc']);
    expect(parseCursor(undefined)).toBeUndefined();
    expect(parseCursor(null)).toBeUndefined();
    for (const bad of ['', '!!!', cursor.slice(0, -3), Buffer.from('[1,2,3]').toString('base64url'), 'x'.repeat(500), 42]) {
      expect(codeOf(() => parseCursor(bad))).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a time window whose start is after its end', () => {
    expect(codeOf(() => parseWindow({ first: 5, from: new Date('2026-02-01'), to: new Date('2026-01-01') }))).toBe('BAD_USER_INPUT');
    expect(parseWindow({ first: 5, from: new Date('2026-01-01'), to: new Date('2026-02-01') }).first).toBe(5);
  });
});

describe('toConnection', () => {
  const rows = [1, 2, 3, 4].map((n) => ({ name: `n${n}`, id: `id${n}` }));
  const keyOf = (r: { name: string; id: string }): [string, string] => [r.name, r.id];

  it('uses the look-ahead row to tell that a next page exists, and drops it', async () => {
    const connection = toConnection(rows, 3, keyOf, async () => 10);
    expect(connection.nodes).toHaveLength(3);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(parseCursor(connection.pageInfo.endCursor)).toEqual(['n3', 'id3']);
    expect(await connection.totalCount()).toBe(10);
  });

  it('has no next page and no cursor when the page is empty', () => {
    const connection = toConnection([], 3, keyOf, async () => 0);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
