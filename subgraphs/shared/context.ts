import type { Caller } from '../../privacy/caller';
import type { PrivacyActionLog } from '../../privacy/enforcement/privacy-actions';
import type { PrivacyRequest } from '../../privacy/enforcement/request';
import type { AuditLog } from '../../privacy/store/audit';
import type { ConsentStore } from '../../privacy/store/consents';
import type { ProcessingControlStore } from '../../privacy/store/controls';
import type { SuppressionList } from '../../privacy/store/suppression';
import type { PartnerRegistry } from '../../privacy/store/partners';
import type { TenantScope } from './tenant-scope';

/** Services of the shared privacy store, the same in every subgraph. */
export interface PrivacyServices {
  partners: PartnerRegistry;
  consents: ConsentStore;
  /** Keyed hashes of erased people's emails and phones (a contact added again with one is flagged). */
  suppression: SuppressionList;
  /** Restrictions and objections in force (read once per request). */
  controls: ProcessingControlStore;
  audit: AuditLog;
}

/** What every resolver of a subgraph receives for one request. Loaders live exactly that long. */
export interface SubgraphContext<Loaders> {
  caller: Caller;
  scope: TenantScope;
  loaders: Loaders;
  privacy: PrivacyServices;
  /** The privacy engine for this request: decisions, consent loader, notices. */
  privacyRequest: PrivacyRequest;
  /** Privacy actions this request did (consent changes, partner installs, account changes): audited with its disclosures, in one batch. */
  privacyActions: PrivacyActionLog;
  /** Where recording links point and the key that signs them. */
  recordings: { baseUrl: string; secret: string };
}
