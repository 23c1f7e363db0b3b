import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../platform/errors';
import { childLogger } from '../platform/logger';
import type { GatewayContext } from './context';

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

const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|fetch failed|aborted due to timeout/i;

/**
 * The HTTP status of each code that refuses a whole request, as the README's error table lists
 * them. Codes absent here are answered with HTTP 200 beside partial data (or 500 for the rest).
 */
const HTTP_STATUS: Record<string, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.PARTNER_NOT_INSTALLED]: 403,
  [ErrorCode.PURPOSE_NOT_ALLOWED]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.QUERY_TOO_DEEP]: 400,
  [ErrorCode.QUERY_TOO_LARGE]: 400,
  [ErrorCode.QUERY_TOO_COSTLY]: 400,
  [ErrorCode.TOO_MANY_ALIASES]: 400,
  [ErrorCode.TOO_MANY_DIRECTIVES]: 400,
  [ErrorCode.TOO_MANY_OPERATIONS]: 400,
  [ErrorCode.INTROSPECTION_DISABLED]: 400,
  [ErrorCode.PERSISTED_QUERY_HASH_MISMATCH]: 400,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
};

export function httpStatusOf(code: string): number {
  return HTTP_STATUS[code] ?? 500;
}

/** Refusals a subgraph raises for the caller as a whole: the answer's status says so too. */
const CALLER_REFUSALS = new Set<string>([ErrorCode.FORBIDDEN, ErrorCode.PARTNER_NOT_INSTALLED]);

/**
 * FORBIDDEN and PARTNER_NOT_INSTALLED come from subgraphs inside an otherwise ordinary GraphQL
 * answer (HTTP 200); the README promises HTTP 403 for them, so the answer carries it.
 */
export const refusalStatus: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const errors = response.body.singleResult.errors ?? [];
        if (errors.some((e) => CALLER_REFUSALS.has(String(e.extensions?.code)))) response.http.status = 403;
      },
    };
  },
};

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
