import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import type { SubgraphContext } from './context';
import type { DataSourceSpec } from '../../platform/database';
import type { SubjectSpecs } from '../../privacy/enforcement/subject';
import type { SubgraphInventory } from '../../privacy/inventory/types';
import type { TenantScope } from './tenant-scope';
import type { PrivacyServices } from './context';
import type { RightsTransport } from '../../privacy/rights/transport';

/** What a module may build its per-process services from (once, when its server starts). */
export interface ModuleServiceDeps {
  dataSource: import('typeorm').DataSource;
  privacy: PrivacyServices;
  pseudonymSecret: string;
  /** How to reach the other subgraphs' part of the rights contract (the privacy subgraph only). */
  rightsTransport?: RightsTransport;
  /** More requests about one subject in 30 days are manifestly excessive. */
  rightsMaxRequestsPer30Days?: number;
}

/**
 * Everything one subgraph is, in one descriptor: the same object feeds its server, composition,
 * the seed and the tests.
 */
export interface SubgraphModule<Loaders = unknown> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<Loaders>>;
  database: DataSourceSpec;
  /** Per-request loaders; `services` is what createServices built once for the process. */
  createLoaders(scope: TenantScope, services?: unknown): Loaders;
  /** Per-process services of this module (the privacy subgraph's rights workflow), built when its server starts. */
  createServices?(deps: ModuleServiceDeps): unknown;
  /** Whose data the rows of each type with personal fields are (the engine derives row subjects and SQL conditions from it). */
  subjects: SubjectSpecs;
  /** Its data inventory: per table, the people rows link to, each column's category and erasure, retention (subjects and every data-subject right derive from it). */
  inventory: SubgraphInventory;
}

export const SUBGRAPH_NAMES = ['accounts', 'contacts', 'calls', 'location', 'privacy'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/**
 * The subgraphs with a store of their own that hold people's data: each is seeded, and each answers
 * the rights contract. The privacy subgraph serves the shared privacy store (consents' and
 * installations' home stays where it is; see the README), so it is neither.
 */
export const DATA_SUBGRAPH_NAMES = ['accounts', 'contacts', 'calls', 'location'] as const satisfies readonly SubgraphName[];
export type DataSubgraphName = (typeof DATA_SUBGRAPH_NAMES)[number];
