import { loadSubgraphTypeDefs } from '../../schema';
import type { SubgraphModule } from '../shared/subgraph';
import { contactsInventory } from './inventory';
import { contactSubjects } from './subjects';
import { contactEntities } from './entities';
import { createContactLoaders, type ContactLoaders } from './loaders';
import { CreateContacts1763800000001 } from './migrations/1763800000001-create-contacts';
import { AddContactTeam1763800000004 } from './migrations/1763800000004-add-contact-team';
import { ScaleIndexesContacts1763800000011 } from './migrations/1763800000011-scale-indexes';
import { SearchIndexContacts1763800000012 } from './migrations/1763800000012-search-index';
import { AddContactBirthDate1763800000020 } from './migrations/1763800000020-add-contact-birth-date';
import { contactResolvers } from './resolvers';

/** contacts: the tenant's customers and leads. */
export const contactsSubgraph: SubgraphModule<ContactLoaders> = {
  name: 'contacts',
  typeDefs: loadSubgraphTypeDefs('contacts'),
  resolvers: contactResolvers,
  database: { name: 'contacts', entities: contactEntities, migrations: [CreateContacts1763800000001, AddContactTeam1763800000004, ScaleIndexesContacts1763800000011, SearchIndexContacts1763800000012, AddContactBirthDate1763800000020] },
  createLoaders: createContactLoaders,
  subjects: contactSubjects,
  inventory: contactsInventory,
};
