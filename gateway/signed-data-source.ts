import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
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
  ) {
    super({ url });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const caller = 'caller' in context ? context.caller : undefined;
    if (!caller || !request.http) return;
    request.http.headers.set(CONTEXT_HEADER, await this.signer.sign(caller, this.subgraph));
  }
}
