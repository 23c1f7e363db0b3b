import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { Agent, Headers, type Dispatcher } from 'undici';
import { ErrorCode } from '../platform/errors';
import type { LocalEndpoint } from '../platform/local-endpoint';
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
    const target = new URL(url);
    // undici's request API, not its fetch: no WHATWG streams or Request objects on every fetch.
    let response: Dispatcher.ResponseData;
    try {
      response = await options.agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: headerRecord(init?.headers),
        body: init?.body as string | undefined,
        signal,
      });
    } catch (error) {
      throw failure(subgraph, error, signal.aborted, options.timeoutMs);
    }
    // The body is read here, under the same deadline, so a subgraph that stalls mid-answer is cut off too.
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw failure(subgraph, error, signal.aborted, options.timeoutMs);
    }
    return bufferedResponse(url, response.statusCode, new Headers(headerPairs(response.headers)), text);
  };
}

/**
 * The fetcher of a subgraph that runs in this process (`npm start`): the same request and answer
 * as over HTTP, handed to the subgraph's endpoint without a socket, under the same deadline. A
 * subgraph that has begun to stop, or fails outside GraphQL, answers as an unreachable one does.
 */
export function localFetcher(subgraph: string, endpoint: LocalEndpoint, options: { timeoutMs: number }): Fetcher {
  return async (url, init) => {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error('deadline'));
      }, options.timeoutMs);
    });
    try {
      const answer = await Promise.race([endpoint.answer({ headers: headerRecord(init?.headers), body: (init?.body as string | undefined) ?? '' }), deadline]);
      return bufferedResponse(url, answer.status, new Headers(answer.headers), answer.body);
    } catch (error) {
      throw failure(subgraph, error, timedOut, options.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The request's headers (a Headers-like object or a record) as a plain record. */
function headerRecord(headers: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  const iterable = headers as { forEach?: (fn: (value: string, name: string) => void) => void };
  if (typeof iterable.forEach === 'function') iterable.forEach((value, name) => (record[name] = value));
  else Object.assign(record, headers);
  return record;
}

function headerPairs(headers: Record<string, string | string[] | undefined>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) pairs.push([name, v]);
    else if (value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}

function failure(subgraph: string, error: unknown, timedOut: boolean, timeoutMs: number): GraphQLError {
  if (timedOut) {
    log.warn({ subgraph, timeoutMs }, 'subgraph fetch timed out');
    return unavailable(subgraph, `The ${subgraph} service did not answer in time`);
  }
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  log.warn({ subgraph, cause }, 'subgraph unreachable');
  return unavailable(subgraph, `The ${subgraph} service is unavailable; try again shortly`);
}

/** A response whose body was already read, in the shape the data source expects. */
function bufferedResponse(url: string, status: number, headers: Headers, text: string): FetcherResponse {
  const buffered: FetcherResponse = {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText: '',
    headers: headers as unknown as FetcherResponse['headers'],
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    clone: () => buffered,
  };
  return buffered;
}
