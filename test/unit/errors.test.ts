import { GraphQLError } from 'graphql';
import { formatSubgraphError, isDatabaseUnavailable } from '../../subgraphs/shared/errors';
import { formatGatewayError } from '../../gateway/errors';

describe('error formatting', () => {
  it('masks an unexpected error, including any personal value in its message', () => {
    const original = new Error("Duplicate entry 'jane.doe@acme.example' for key 'UQ_users_tenant_email'");
    const error = new GraphQLError(original.message, { originalError: original });
    const formatted = formatSubgraphError({ message: original.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, error);
    expect(formatted).toEqual({ message: 'Internal server error', path: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('turns a lost database connection into DATABASE_UNAVAILABLE', () => {
    const driverError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    const wrapped = new GraphQLError('x', { originalError: Object.assign(new Error('query failed'), { driverError }) });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(formatSubgraphError({ message: 'x' }, wrapped).extensions).toEqual({ code: 'DATABASE_UNAVAILABLE' });
    expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false);
  });

  it('passes coded client errors through and masks unknown ones at the gateway', () => {
    expect(formatGatewayError({ message: 'Argument "first" …', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['x'] } }, undefined, 'r1')).toEqual({
      message: 'Argument "first" …',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(formatGatewayError({ message: 'boom at Foo.bar', extensions: {} }, undefined, 'r1')).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'r1' },
    });
    expect(formatGatewayError({ message: 'request to http://x failed, reason: connect ECONNREFUSED' }, undefined, 'r1').extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });
});
