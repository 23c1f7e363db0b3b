import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { Fetcher } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { isNoticeWire } from '../privacy/enforcement/notices';
import { CONTEXT_HEADER, type ContextSigner } from '../privacy/signed-context';
import type { GatewayContext } from './context';

/**
 * Sends each subgraph fetch with a fresh signed caller context for that subgraph alone. Nothing
 * the client sent is forwarded: the gateway builds the outgoing headers itself.
 */
export class SignedContextDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly signer: ContextSigner,
    fetcher?: Fetcher,
  ) {
    super({ url, ...(fetcher ? { fetcher } : {}) });
  }

  /** Takes each subgraph's `extensions.privacy` aside for the response (privacy-notices.ts). */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    const incoming = options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION;
    // Counted before the fetch goes out: the plan starts fetches in a fixed order, answers come in any.
    const order = incoming ? (options.context.fetchesStarted = (options.context.fetchesStarted ?? 0) + 1) : 0;
    const response = await super.process(options);
    const wire = response.extensions?.privacy;
    if (wire !== undefined) delete response.extensions!.privacy;
    if (isNoticeWire(wire) && wire.groups.length > 0 && incoming) {
      const representations = options.request.variables?.representations;
      (options.context.privacyNotices ??= []).push({
        order,
        fetchPath: options.pathInIncomingRequest ?? [],
        wire,
        ...(Array.isArray(representations) ? { representations: representations as Record<string, unknown>[] } : {}),
      });
    }
    return response;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const caller = 'caller' in context ? context.caller : undefined;
    if (!caller || !request.http) return;
    // Signed last, over exactly what is sent: the subgraph runs nothing else under this header.
    request.http.headers.set(CONTEXT_HEADER, this.signer.signNow(caller, this.subgraph, { query: request.query, operationName: request.operationName, variables: request.variables }));
  }

  /**
   * A subgraph that refuses a request outright (HTTP 4xx, e.g. an argument literal its scalar
   * rejects, or 5xx when its store was unreachable while it checked the caller) says why in a coded
   * GraphQL error, already masked by the subgraph: pass that on instead of a bare "400: Bad Request".
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const fallback = await super.errorFromResponse(response);
    const body = (fallback.extensions.response as { body?: { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } } | undefined)?.body;
    const first = body?.errors?.[0];
    if (typeof first?.message === 'string' && typeof first.extensions?.code === 'string' && first.extensions.code !== 'INTERNAL_SERVER_ERROR') {
      return new GraphQLError(first.message, { extensions: { code: first.extensions.code, serviceName: this.subgraph } });
    }
    return fallback;
  }
}
