import { GraphQLError } from 'graphql';

/** The error codes clients can rely on; every refusal names one of them in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  PARTNER_NOT_INSTALLED: 'PARTNER_NOT_INSTALLED',
  PURPOSE_NOT_ALLOWED: 'PURPOSE_NOT_ALLOWED',
  NOT_FOUND: 'NOT_FOUND',
  /** A rights request is not in a status from which this transition is allowed. */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** An export document that is no longer held: past its retention after completion, or its person erased. */
  EXPORT_EXPIRED: 'EXPORT_EXPIRED',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_MANY_DIRECTIVES: 'TOO_MANY_DIRECTIVES',
  /** More lexical tokens than the parser reads (MAX_TOKENS). */
  QUERY_TOO_LARGE: 'QUERY_TOO_LARGE',
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  TOO_MANY_OPERATIONS: 'TOO_MANY_OPERATIONS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  /** An audited caller's answer is withheld because its audit record could not be written. */
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Input the client can fix. The message must describe the problem without echoing personal values. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argument ? { argumentName: argument } : {}) },
  });
}

export function unauthenticated(message = 'Authentication required'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

/** The caller is known but may not do this; `code` says why (e.g. PARTNER_NOT_INSTALLED). */
export function forbidden(message: string, code: string = ErrorCode.FORBIDDEN): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 403 } } });
}
