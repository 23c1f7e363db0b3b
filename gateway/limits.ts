import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../platform/errors';
import { MAX_PAGE_SIZE } from '../schema';
import type { GatewayContext } from './context';

/**
 * A field with a `first` argument returns up to `first` of what it selects. Values past the page
 * limit are refused by the subgraph as BAD_USER_INPUT, so they count as the limit here.
 */
const pagedCost: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === 'number' && args.first > 0 ? Math.min(args.first, MAX_PAGE_SIZE) : 1;
  return 1 + childComplexity * first;
};

const COSTS_PER_DOCUMENT = 32;
const MAX_COST_KEY_LENGTH = 2_000;

/**
 * Refuses an operation whose cost (one per field, a list field multiplying what is below it by its
 * `first`, fragments counted where they are spread) passes `maxCost`, with QUERY_TOO_COSTLY. Cost
 * depends on the variables, so it is checked once the operation is resolved; the cheaper limits
 * (tokens, depth, aliases, directives, introspection) run earlier, in edge-checks.ts.
 */
export function costLimit(maxCost: number): ApolloServerPlugin<GatewayContext> {
  // The cost of a document for given variables never changes: remembered per parsed document
  // (Apollo Server keeps one per query text), and per operation name and variables, a few each.
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const key = JSON.stringify([request.operationName ?? null, request.variables ?? {}]);
          let known = costs.get(document);
          let cost = known?.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({ schema, query: document, variables: request.variables ?? {}, operationName: request.operationName ?? undefined, estimators: [pagedCost] });
            } catch {
              return; // bad variables: execution refuses them with its own error
            }
            if (!known) costs.set(document, (known = new Map()));
            if (known.size < COSTS_PER_DOCUMENT && key.length <= MAX_COST_KEY_LENGTH) known.set(key, cost);
          }
          if (cost > maxCost) {
            throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}`, { extensions: { code: ErrorCode.QUERY_TOO_COSTLY, http: { status: 400 } } });
          }
        },
      };
    },
  };
}
