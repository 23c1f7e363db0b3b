import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import bytes from 'bytes';
import { graphQLError } from '../../platform/http-errors';
import { LocalEndpointClosedError, type LocalAnswer, type LocalEndpoint, type LocalRequest } from '../../platform/local-endpoint';
import { childLogger } from '../../platform/logger';
import { CONTEXT_HEADER, type SignedOperation } from '../../privacy/signed-context';

const log = childLogger('local-endpoint');

export interface LocalEndpointOptions<C extends BaseContext> {
  name: string;
  apollo: ApolloServer<C>;
  /** The same limit as the HTTP endpoint's body parser (BODY_LIMIT). */
  bodyLimit: string;
  /** The same context builder as the HTTP endpoint: it checks the signed context. */
  contextFor(signedContext: string | undefined, body: SignedOperation): Promise<C>;
  isStopping(): boolean;
}

/**
 * A subgraph's POST /graphql answered in this process: what the socket, the HTTP parser and the
 * JSON body parser would do is done here with the same outcomes (413 past BODY_LIMIT, 400 for a
 * body that is not JSON, `cache-control: no-store`), then Apollo Server's own HTTP request
 * pipeline runs as it does for the HTTP endpoint, signed-context check included.
 */
export function localEndpoint<C extends BaseContext>(options: LocalEndpointOptions<C>): LocalEndpoint {
  const limit = bytes.parse(options.bodyLimit) ?? Number.POSITIVE_INFINITY;
  const json = (status: number, body: unknown): LocalAnswer => ({ status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) });
  return {
    async answer({ headers, body }: LocalRequest): Promise<LocalAnswer> {
      if (options.isStopping()) throw new LocalEndpointClosedError(options.name);
      if (Buffer.byteLength(body) > limit) return json(413, graphQLError('Request body is too large', 'PAYLOAD_TOO_LARGE'));
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return json(400, graphQLError('Request body is not valid JSON', 'BAD_REQUEST'));
      }
      const headerMap = new HeaderMap();
      for (const [name, value] of Object.entries(headers)) headerMap.set(name, value);
      const operation = (parsed ?? {}) as SignedOperation;
      const context: ContextFunction<[], C> = () => options.contextFor(headers[CONTEXT_HEADER], operation);
      try {
        const response = await options.apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers: headerMap, search: '', body: parsed }, context });
        let text = '';
        if (response.body.kind === 'complete') text = response.body.string;
        else for await (const chunk of response.body.asyncIterator) text += chunk;
        const answerHeaders: Record<string, string> = { 'cache-control': 'no-store' };
        for (const [name, value] of response.headers) answerHeaders[name] = value;
        return { status: response.status ?? 200, headers: answerHeaders, body: text };
      } catch (error) {
        // As the HTTP endpoint's error handler answers a failure outside GraphQL: coded, nothing more.
        log.error({ subgraph: options.name, err: { name: (error as Error)?.name } }, 'in-process request failed before GraphQL');
        return json(500, graphQLError('Request could not be processed', 'INTERNAL_SERVER_ERROR'));
      }
    },
  };
}
