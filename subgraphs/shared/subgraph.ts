import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import type { SubgraphContext } from './context';
import type { DataSourceSpec } from '../../platform/database';
import type { SubjectMappers } from '../../privacy/enforcement/subject';
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
  /** How a row of each type with personal fields maps to the person it is about. */
  subjects: SubjectMappers;
}

export const SUBGRAPH_NAMES = ['accounts', 'contacts', 'calls', 'location'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
