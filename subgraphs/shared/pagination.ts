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

/** Cursors are opaque sealed strings (privacy/enforcement/cursors.ts); here only their outer shape is checked. */
function parseCursor(cursor: unknown, argument = 'after'): string | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw badUserInput(`Argument "${argument}" is not a valid cursor`, argument);
  }
  return cursor;
}

/**
 * Builds a connection from a page fetched with one row of look-ahead (`first + 1` rows), which
 * tells whether a next page exists without a second statement.
 */
export function toConnection<T>(rows: T[], first: number, cursorOf: (row: T) => string, totalCount: () => Promise<number>): Connection<T> {
  const hasNextPage = rows.length > first;
  const nodes = hasNextPage ? rows.slice(0, first) : rows;
  const last = nodes[nodes.length - 1];
  return { nodes, pageInfo: { hasNextPage, endCursor: last ? cursorOf(last) : null }, totalCount };
}

export interface WindowArgs {
  first?: unknown;
  after?: unknown;
  from?: unknown;
  to?: unknown;
}

/** Validates the paging and time-range arguments of a list field. */
export function parseWindow(args: WindowArgs): { first: number; after?: string; from?: Date; to?: Date } {
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
