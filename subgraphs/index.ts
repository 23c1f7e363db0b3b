import { accountsSubgraph } from './accounts';
import { callsSubgraph } from './calls';
import { contactsSubgraph } from './contacts';
import { locationSubgraph } from './location';
import { privacySubgraph } from './privacy';
import type { SubgraphModule, SubgraphName } from './shared/subgraph';

/** The subgraphs, for the processes that host or seed all of them (never for each other). */
export const SUBGRAPHS: Record<SubgraphName, SubgraphModule<any>> = {
  accounts: accountsSubgraph,
  contacts: contactsSubgraph,
  calls: callsSubgraph,
  location: locationSubgraph,
  privacy: privacySubgraph,
};
