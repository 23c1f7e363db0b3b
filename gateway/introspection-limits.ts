import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { GatewayContext } from './context';
import { operationLimits, type OperationLimits } from './limits';

/**
 * How deep an introspection-only operation may go in development: the standard introspection query
 * of graphql-js (what GraphiQL, IDEs and code generators send) is 15 levels deep, which is past the
 * limit meant for data operations. No data field can be reached from `__schema` or `__type`, so
 * this deeper limit never applies to personal data; aliases and cost are still limited as usual.
 */
export const INTROSPECTION_MAX_DEPTH = 15;

const META_FIELDS = new Set(['__schema', '__type', '__typename']);

/** True when every field at the root of the operation (through fragments) is a meta field. */
export function isIntrospectionOnly(selectionSet: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return META_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return isIntrospectionOnly(selection.selectionSet, document, seen);
    if (seen.has(selection.name.value)) return true;
    const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
    return fragment ? isIntrospectionOnly(fragment.selectionSet, document, new Set(seen).add(fragment.name.value)) : true;
  });
}

/**
 * The operation limits, with introspection-only operations measured against INTROSPECTION_MAX_DEPTH
 * instead of `maxDepth`. Use only where introspection is allowed (development): in production
 * operationLimits refuses introspection outright.
 */
export function operationLimitsWithIntrospection(limits: Omit<OperationLimits, 'introspection'>): ApolloServerPlugin<GatewayContext> {
  const forData = operationLimits({ ...limits, introspection: true });
  const forIntrospection = operationLimits({ ...limits, maxDepth: Math.max(limits.maxDepth, INTROSPECTION_MAX_DEPTH), introspection: true });
  return {
    async requestDidStart(requestContext) {
      const data = (await forData.requestDidStart?.(requestContext)) ?? {};
      const introspection = (await forIntrospection.requestDidStart?.(requestContext)) ?? {};
      const listener: GraphQLRequestListener<GatewayContext> = {
        ...data,
        async didResolveOperation(context) {
          const chosen = context.operation && isIntrospectionOnly(context.operation.selectionSet, context.document) ? introspection : data;
          await chosen.didResolveOperation?.(context);
        },
      };
      return listener;
    },
  };
}
