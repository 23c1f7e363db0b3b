import { z } from 'zod';
import { badUserInput } from '../../platform/errors';
import { MAX_PAGE_SIZE } from '../../schema';

export { MAX_PAGE_SIZE };

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  nodes: T[];
  pageInfo: PageInfo;
  /** Resolved lazily: counting costs a statement, so only when the client asks for it. */
  totalCount: () => Promise<number>;
}

export function parseFirst(first: unknown, argument = 'first'): number {
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`Argument "${argument}" must be an integer from 1 to ${MAX_PAGE_SIZE}`, argument);
  }
  return first;
}

/** A cursor holds the sort key of the last row seen: [sort value, id]. Opaque to clients. */
export type CursorKey = [string | number, string];
const cursorShape = z.tuple([z.union([z.string().max(200), z.number()]), z.string().max(64)]);

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function parseCursor(cursor: unknown, argument = 'after'): CursorKey | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  if (typeof cursor !== 'string' || cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw badUserInput(`Argument "${argument}" is not a valid cursor`, argument);
  }
  try {
    return cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badUserInput(`Argument "${argument}" is not a valid cursor`, argument);
  }
}

/**
 * Builds a connection from a page fetched with one row of look-ahead (`first + 1` rows), which
 * tells whether a next page exists without a second statement.
 */
export function toConnection<T>(
  rows: T[],
  first: number,
  keyOf: (row: T) => CursorKey,
  totalCount: () => Promise<number>,
): Connection<T> {
  const hasNextPage = rows.length > first;
  const nodes = hasNextPage ? rows.slice(0, first) : rows;
  const last = nodes[nodes.length - 1];
  return { nodes, pageInfo: { hasNextPage, endCursor: last ? encodeCursor(keyOf(last)) : null }, totalCount };
}

export interface WindowArgs {
  first?: unknown;
  after?: unknown;
  from?: unknown;
  to?: unknown;
}

/** Validates the paging and time-range arguments of a list field. */
export function parseWindow(args: WindowArgs): { first: number; after?: CursorKey; from?: Date; to?: Date } {
  const first = parseFirst(args.first);
  const after = parseCursor(args.after);
  const from = args.from instanceof Date ? args.from : undefined;
  const to = args.to instanceof Date ? args.to : undefined;
  if (from && to && from > to) throw badUserInput('Argument "from" must not be after "to"', 'from');
  return { first, after, from, to };
}

/** Resolvers shared by every connection type. */
export const connectionResolvers = {
  totalCount: (connection: Connection<unknown>) => connection.totalCount(),
};
