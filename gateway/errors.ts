import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../platform/errors';
import { childLogger } from '../platform/logger';

const log = childLogger('gateway-errors');

/** Codes that reach the client as they are; anything else is masked. */
const PASS_THROUGH = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|fetch failed/i;

/**
 * The edge of the system: known codes pass with their message (subgraph messages never carry
 * personal values); an unreachable subgraph is SERVICE_UNAVAILABLE; the rest is masked to
 * INTERNAL_SERVER_ERROR with the request id, and only the code chain is logged.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, _error: unknown, requestId?: string): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
  const base = { locations: formatted.locations, path: formatted.path };
  if (code && PASS_THROUGH.has(code)) {
    const { argumentName, serviceName } = formatted.extensions ?? {};
    return { ...base, message: formatted.message, extensions: { code, ...(argumentName ? { argumentName } : {}), ...(serviceName ? { serviceName } : {}) } };
  }
  if (UNREACHABLE.test(formatted.message)) {
    log.error({ requestId, code, path: formatted.path }, 'subgraph unreachable');
    return { ...base, message: 'A backing service is unavailable; try again shortly', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, requestId } };
  }
  log.error({ requestId, code, path: formatted.path }, 'unexpected error');
  return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } };
}
