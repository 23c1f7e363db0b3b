import { PartnerAppEntity, PartnerInstallationEntity } from './entities';
import { CreatePartnerRegistry1763800000100 } from './migrations/1763800000100-create-partner-registry';

/**
 * The shared privacy store: records every subgraph must read the same way (partner installations,
 * and the consent and audit records of the privacy engine). One store, never per-subgraph copies.
 */
export const PRIVACY_STORE = {
  name: 'privacy',
  entities: [PartnerAppEntity, PartnerInstallationEntity],
  migrations: [CreatePartnerRegistry1763800000100],
};
