import { loadSubgraphTypeDefs } from '../../schema';
import type { SubgraphModule } from '../shared/subgraph';
import { contactEntities } from './entities';
import { createContactLoaders, type ContactLoaders } from './loaders';
import { CreateContacts1763800000001 } from './migrations/1763800000001-create-contacts';
import { contactResolvers } from './resolvers';

/** contacts: the tenant's customers and leads. */
export const contactsSubgraph: SubgraphModule<ContactLoaders> = {
  name: 'contacts',
  typeDefs: loadSubgraphTypeDefs('contacts'),
  resolvers: contactResolvers,
  database: { name: 'contacts', entities: contactEntities, migrations: [CreateContacts1763800000001] },
  createLoaders: createContactLoaders,
};
