import type { Caller } from '../../privacy/caller';
import type { TenantScope } from './tenant-scope';

/** What every resolver of a subgraph receives for one request. Loaders live exactly that long. */
export interface SubgraphContext<Loaders> {
  caller: Caller;
  scope: TenantScope;
  loaders: Loaders;
}
