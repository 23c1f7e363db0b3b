import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import type { SubgraphContext } from './context';
import type { DataSourceSpec } from '../../platform/database';
import type { SubjectSpecs } from '../../privacy/enforcement/subject';
import type { SubgraphInventory } from '../../privacy/inventory/types';
import type { TenantScope } from './tenant-scope';

/**
 * Everything one subgraph is, in one descriptor: the same object feeds its server, composition,
 * the seed and the tests.
 */
export interface SubgraphModule<Loaders = unknown> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<Loaders>>;
  database: DataSourceSpec;
  createLoaders(scope: TenantScope): Loaders;
  /** Whose data the rows of each type with personal fields are (the engine derives row subjects and SQL conditions from it). */
  subjects: SubjectSpecs;
  /** Its data inventory: per table, the people rows link to, each column's category and erasure, retention (subjects and every data-subject right derive from it). */
  inventory: SubgraphInventory;
}

export const SUBGRAPH_NAMES = ['accounts', 'contacts', 'calls', 'location'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
