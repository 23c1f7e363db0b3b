import { loadSubgraphTypeDefs } from '../../schema';
import type { SubgraphModule } from '../shared/subgraph';
import { accountsInventory } from './inventory';
import { accountSubjects } from './subjects';
import { accountEntities } from './entities';
import { createAccountLoaders, type AccountLoaders } from './loaders';
import { CreateAccounts1763800000000 } from './migrations/1763800000000-create-accounts';
import { ScaleIndexesAccounts1763800000010 } from './migrations/1763800000010-scale-indexes';
import { AddUserStatusSince1763800000022 } from './migrations/1763800000022-add-user-status-since';
import { accountResolvers } from './resolvers';

/** accounts: tenants, teams and users. */
export const accountsSubgraph: SubgraphModule<AccountLoaders> = {
  name: 'accounts',
  typeDefs: loadSubgraphTypeDefs('accounts'),
  resolvers: accountResolvers,
  database: { name: 'accounts', entities: accountEntities, migrations: [CreateAccounts1763800000000, ScaleIndexesAccounts1763800000010, AddUserStatusSince1763800000022] },
  createLoaders: createAccountLoaders,
  subjects: accountSubjects,
  inventory: accountsInventory,
};
