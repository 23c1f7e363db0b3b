import { AuditRecordEntity, AuditSubjectEntity, ConsentRecordEntity, JobLeaseEntity, PartnerAppEntity, PartnerInstallationEntity, ProcessingControlEntity } from './entities';
import { CreatePartnerRegistry1763800000100 } from './migrations/1763800000100-create-partner-registry';
import { CreateConsentRecords1763800000101 } from './migrations/1763800000101-create-consent-records';
import { CreateAuditLog1763800000102 } from './migrations/1763800000102-create-audit-log';
import { AddAuditCorrelationId1763800000103 } from './migrations/1763800000103-add-audit-correlation-id';
import { CreateAuditChainLocks1763800000104 } from './migrations/1763800000104-create-audit-chain-locks';
import { CreateProcessingControls1763800000105 } from './migrations/1763800000105-create-processing-controls';
import { CreateJobLeases1763800000120 } from './migrations/1763800000120-create-job-leases';
import { CreateRightsRequests1763800000110 } from './migrations/1763800000110-create-rights-requests';
import { RIGHTS_ENTITIES } from './rights-entities';

/**
 * The shared privacy store: records every subgraph must read the same way (partner installations,
 * the consent and audit records of the privacy engine, the leases of scheduled jobs). One store, never per-subgraph copies.
 */
export const PRIVACY_STORE = {
  name: 'privacy',
  entities: [PartnerAppEntity, PartnerInstallationEntity, ConsentRecordEntity, AuditRecordEntity, AuditSubjectEntity, ProcessingControlEntity, JobLeaseEntity, ...RIGHTS_ENTITIES],
  migrations: [CreatePartnerRegistry1763800000100, CreateConsentRecords1763800000101, CreateAuditLog1763800000102, AddAuditCorrelationId1763800000103, CreateAuditChainLocks1763800000104, CreateProcessingControls1763800000105, CreateRightsRequests1763800000110, CreateJobLeases1763800000120],
};
