import { loadSubgraphTypeDefs } from '../../schema';
import { PRIVACY_STORE } from '../../privacy/store';
import { AuditQueries } from '../../privacy/rights/audit-queries';
import { PrivacyRequestStore } from '../../privacy/rights/requests';
import { RightsService } from '../../privacy/rights/service';
import { SuppressionList, suppressionKey } from '../../privacy/store/suppression';
import type { SubgraphModule } from '../shared/subgraph';
import { privacyResolvers, type PrivacyLoaders } from './resolvers';

/**
 * privacy: the home of privacy operations over the shared privacy store — data subject rights
 * requests and the audit log's queries. Its store is the privacy store every subgraph already
 * shares; it holds no one's CRM data of its own, so it is neither seeded nor a party to the rights
 * contract: it orchestrates it.
 */
export const privacySubgraph: SubgraphModule<PrivacyLoaders> = {
  name: 'privacy',
  typeDefs: loadSubgraphTypeDefs('privacy'),
  resolvers: privacyResolvers,
  database: PRIVACY_STORE,
  createServices: ({ dataSource, privacy, pseudonymSecret, rightsTransport, rightsMaxRequestsPer30Days }) => {
    if (!rightsTransport) throw new Error('The privacy subgraph needs the rights transport of the data subgraphs');
    const requests = new PrivacyRequestStore(dataSource);
    const rights = new RightsService({ requests, transport: rightsTransport, audit: privacy.audit, suppression: new SuppressionList(dataSource, suppressionKey(pseudonymSecret)), maxRequestsPer30Days: rightsMaxRequestsPer30Days });
    return { rights, audit: new AuditQueries(dataSource) } satisfies PrivacyLoaders;
  },
  createLoaders: (_scope, services) => services as PrivacyLoaders,
  subjects: {},
  // The privacy store's own records (consents, requests, the audit) are kept under the duties
  // they serve (README "Data subject rights"); none is a CRM table of people's data.
  inventory: { entities: [] },
};
