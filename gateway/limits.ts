import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../platform/errors';
import { MAX_PAGE_SIZE } from '../schema';
import type { GatewayContext } from './context';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  /** Cost: one per field, and a list field multiplies what is below it by its `first`. */
  maxCost: number;
  introspection: boolean;
}

const refuse = (message: string, code: ErrorCode) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * A field with a `first` argument returns up to `first` of what it selects. Values past the page
 * limit are refused by the subgraph as BAD_USER_INPUT, so they count as the limit here.
 */
const pagedCost: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === 'number' && args.first > 0 ? Math.min(args.first, MAX_PAGE_SIZE) : 1;
  return 1 + childComplexity * first;
};

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return fragments;
}

/** Deepest field nesting, through inline and named fragments (a fragment cycle stops the walk). */
export function depthOf(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, fragments, seen) : 0));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen));
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && !seen.has(fragment.name.value)) {
        deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, new Set(seen).add(fragment.name.value)));
      }
    }
  }
  return deepest;
}

export function aliasesOf(document: DocumentNode): number {
  let count = 0;
  const visit = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD && selection.alias) count += 1;
      if (selection.kind !== Kind.FRAGMENT_SPREAD) visit(selection.selectionSet);
    }
  };
  for (const def of document.definitions) if (def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION) visit(def.selectionSet);
  return count;
}

function usesIntrospection(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some((s) => s.kind === Kind.FIELD && (s.name.value === '__schema' || s.name.value === '__type'));
}

/**
 * Refuses operations that would cost the service too much, each with its own code:
 * QUERY_TOO_DEEP, TOO_MANY_ALIASES, QUERY_TOO_COSTLY, INTROSPECTION_DISABLED.
 */
export function operationLimits(limits: OperationLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          if (!limits.introspection && usesIntrospection(operation.selectionSet)) {
            throw refuse('Introspection is disabled on this server', ErrorCode.INTROSPECTION_DISABLED);
          }
          const depth = depthOf(operation.selectionSet, fragmentsOf(document));
          if (depth > limits.maxDepth) throw refuse(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}`, ErrorCode.QUERY_TOO_DEEP);
          const aliases = aliasesOf(document);
          if (aliases > limits.maxAliases) throw refuse(`Query uses ${aliases} aliases; the limit is ${limits.maxAliases}`, ErrorCode.TOO_MANY_ALIASES);
          let cost = 0;
          try {
            cost = getComplexity({ schema, query: document, variables: request.variables ?? {}, operationName: request.operationName ?? undefined, estimators: [pagedCost] });
          } catch {
            return; // bad variables: execution refuses them with its own error
          }
          if (cost > limits.maxCost) throw refuse(`Query cost ${cost} exceeds the limit of ${limits.maxCost}`, ErrorCode.QUERY_TOO_COSTLY);
        },
      };
    },
  };
}
