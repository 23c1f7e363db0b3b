import type { GraphQLError } from 'graphql';
import { localFetcher } from '../../gateway/subgraph-fetcher';
import { LocalEndpointClosedError, type LocalEndpoint, type LocalRequest } from '../../platform/local-endpoint';

const fetchWith = (endpoint: LocalEndpoint, timeoutMs = 1_000) =>
  localFetcher('contacts', endpoint, { timeoutMs })('http://127.0.0.1:4002/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-crm-context': 'signed' },
    body: '{"query":"{ __typename }"}',
  });

const failureOf = async (promise: Promise<unknown>): Promise<GraphQLError> => {
  try {
    await promise;
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('the fetch did not fail');
};

describe('gateway: the fetcher of a subgraph in the same process', () => {
  it('hands over the headers and body as sent, and returns status, headers and body as answered', async () => {
    const seen: LocalRequest[] = [];
    const response = await fetchWith({
      answer: async (request) => {
        seen.push(request);
        return { status: 401, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: '{"errors":[]}' };
      },
    });
    expect(seen).toEqual([{ headers: { 'content-type': 'application/json', 'x-crm-context': 'signed' }, body: '{"query":"{ __typename }"}' }]);
    expect(response.status).toBe(401);
    expect(response.ok).toBe(false);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ errors: [] });
  });

  it('gives up at the deadline: that part is SERVICE_UNAVAILABLE, as for a subgraph over HTTP', async () => {
    const started = Date.now();
    const error = await failureOf(fetchWith({ answer: () => new Promise(() => {}) }, 150));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(error.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', serviceName: 'contacts' });
    expect(error.message).toMatch(/did not answer in time/);
  });

  it('treats a subgraph that has begun to stop as unreachable', async () => {
    const error = await failureOf(
      fetchWith({
        answer: async () => {
          throw new LocalEndpointClosedError('contacts');
        },
      }),
    );
    expect(error.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', serviceName: 'contacts' });
    expect(error.message).toMatch(/unavailable/);
  });
});
