import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type SelectionSetNode } from 'graphql';
import { unauthenticated } from '../platform/errors';
import type { GatewayContext } from './context';

function onlyTypename(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === '__typename');
}

/** Without credentials only `{ __typename }` is answered; anything else is UNAUTHENTICATED (401). */
export const requireAuthentication: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation }) {
        if (contextValue.caller) return;
        if (operation?.operation === 'query' && onlyTypename(operation.selectionSet)) return;
        throw unauthenticated();
      },
    };
  },
};
