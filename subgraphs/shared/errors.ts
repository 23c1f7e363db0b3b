import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../platform/errors';
import { childLogger } from '../../platform/logger';

const log = childLogger('errors');

/** Driver codes that mean "the store is out of reach", not "the query is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

function* causes(error: unknown): Generator<Record<string, unknown>> {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth += 1) {
    const record = current as Record<string, unknown>;
    yield record;
    current = record.originalError ?? record.driverError ?? record.thrownValue ?? record.cause;
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const cause of causes(error)) {
    if (typeof cause.code === 'string' && UNAVAILABLE_CODES.has(cause.code)) return true;
    if (cause.name === 'CannotExecuteNotConnectedError' || cause.name === 'ConnectionIsNotSetError') return true;
    // better-sqlite3 once its file handle is closed
    if (typeof cause.message === 'string' && cause.message.includes('database connection is not open')) return true;
  }
  return false;
}

/** Name and code only: driver messages can quote the values of the failed statement. */
function describeSafely(error: unknown): Record<string, unknown> {
  const summary: Record<string, unknown>[] = [];
  for (const cause of causes(error)) {
    summary.push({ name: cause.name ?? cause.constructor?.name, code: cause.code, errno: cause.errno });
  }
  return { chain: summary };
}

/**
 * Client-facing errors: a coded error passes as it is (without stack); a database outage becomes
 * DATABASE_UNAVAILABLE; anything else becomes INTERNAL_SERVER_ERROR with the request id, and the
 * details go to the log only.
 */
export function formatSubgraphError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR && !original) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  if (original instanceof GraphQLError && typeof original.extensions.code === 'string') {
    return {
      message: original.message,
      path: formatted.path,
      extensions: { ...original.extensions, code: original.extensions.code },
    };
  }
  if (isDatabaseUnavailable(error)) {
    log.error({ err: describeSafely(error), path: formatted.path }, 'database unavailable');
    return {
      message: 'The database is unavailable; try again shortly',
      path: formatted.path,
      extensions: { code: ErrorCode.DATABASE_UNAVAILABLE },
    };
  }
  log.error({ err: describeSafely(error), path: formatted.path }, 'unexpected error');
  return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
