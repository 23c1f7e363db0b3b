import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { Agent, fetch as undiciFetch } from 'undici';
import { ErrorCode } from '../platform/errors';
import { childLogger } from '../platform/logger';

const log = childLogger('subgraph-fetch');

/**
 * One keep-alive connection pool per gateway for every subgraph fetch. The data source's default
 * client (node-fetch) opens connections without reuse and captures a stack trace per request; this
 * one keeps sockets open between fetches.
 */
export function subgraphAgent(): Agent {
  return new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000 });
}

const unavailable = (subgraph: string, message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, serviceName: subgraph } });

/**
 * The fetcher of one subgraph's data source: each fetch may take at most `timeoutMs` (response
 * body included), after which it is abandoned and that part of the answer is SERVICE_UNAVAILABLE
 * while the other subgraphs' data is still returned. An unreachable subgraph answers the same way.
 */
export function subgraphFetcher(subgraph: string, options: { timeoutMs: number; agent: Agent }): Fetcher {
  return async (url, init) => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    let response: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      response = await undiciFetch(url, { method: init?.method, headers: init?.headers, body: init?.body, signal, dispatcher: options.agent });
    } catch (error) {
      throw failure(subgraph, error, signal, options.timeoutMs);
    }
    // The body is read here, under the same deadline, so a subgraph that stalls mid-answer is cut off too.
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw failure(subgraph, error, signal, options.timeoutMs);
    }
    return bufferedResponse(response, text);
  };
}

function failure(subgraph: string, error: unknown, signal: AbortSignal, timeoutMs: number): GraphQLError {
  if (signal.aborted) {
    log.warn({ subgraph, timeoutMs }, 'subgraph fetch timed out');
    return unavailable(subgraph, `The ${subgraph} service did not answer in time`);
  }
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  log.warn({ subgraph, cause }, 'subgraph unreachable');
  return unavailable(subgraph, `The ${subgraph} service is unavailable; try again shortly`);
}

/** A response whose body was already read, in the shape the data source expects. */
function bufferedResponse(response: Awaited<ReturnType<typeof undiciFetch>>, text: string): FetcherResponse {
  const buffered: FetcherResponse = {
    bodyUsed: false,
    url: response.url,
    redirected: response.redirected,
    status: response.status,
    ok: response.ok,
    statusText: response.statusText,
    headers: response.headers as unknown as FetcherResponse['headers'],
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    clone: () => buffered,
  };
  return buffered;
}
