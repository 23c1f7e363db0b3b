import type { Caller } from '../../privacy/caller';
import type { PartnerRegistry } from '../../privacy/store/partners';
import type { TenantScope } from './tenant-scope';

/** Services of the shared privacy store, the same in every subgraph. */
export interface PrivacyServices {
  partners: PartnerRegistry;
}

/** What every resolver of a subgraph receives for one request. Loaders live exactly that long. */
export interface SubgraphContext<Loaders> {
  caller: Caller;
  /** Scopes of the caller's partner app installation (PARTNER callers only). */
  partnerScopes: readonly string[];
  scope: TenantScope;
  loaders: Loaders;
  privacy: PrivacyServices;
}
