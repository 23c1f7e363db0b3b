import { loadSubgraphTypeDefs } from '../../schema';
import type { SubgraphModule } from '../shared/subgraph';
import { callsInventory } from './inventory';
import { callSubjects } from './subjects';
import { callEntities } from './entities';
import { createCallLoaders, type CallLoaders } from './loaders';
import { CreateCallLogs1763800000002 } from './migrations/1763800000002-create-call-logs';
import { ScaleIndexesCalls1763800000012 } from './migrations/1763800000012-scale-indexes';
import { RightsErasureCalls1763800000014 } from './migrations/1763800000014-rights-erasure';
import { ContactCallsCoveringIndex1763800000022 } from './migrations/1763800000022-contact-calls-covering-index';
import { callResolvers } from './resolvers';

/** calls: call logs made and received through the CRM. */
export const callsSubgraph: SubgraphModule<CallLoaders> = {
  name: 'calls',
  typeDefs: loadSubgraphTypeDefs('calls'),
  resolvers: callResolvers,
  database: { name: 'calls', entities: callEntities, migrations: [CreateCallLogs1763800000002, ScaleIndexesCalls1763800000012, RightsErasureCalls1763800000014, ContactCallsCoveringIndex1763800000022] },
  createLoaders: createCallLoaders,
  subjects: callSubjects,
  inventory: callsInventory,
};
