import type { AuditLog } from '../store/audit';
import type { PrivacyRequestRow } from '../store/rights-entities';

/** The audit service name of the rights workflow. */
export const RIGHTS_SERVICE = 'privacy';

/**
 * Writes one step of a rights request to the tenant's audit chain: who acted (the person who took
 * the transition, or the DPO who executes it for the worker's steps), about whom, and counts —
 * never a value. The subject's id is kept under the legal obligation to keep the audit.
 */
export function auditRights(
  audit: AuditLog,
  request: Pick<PrivacyRequestRow, 'id' | 'tenantId' | 'subjectType' | 'subjectId' | 'type' | 'executedBy' | 'requestedBy' | 'requestedByRole'>,
  action: 'RIGHTS_TRANSITION' | 'RIGHTS_STEP_DONE' | 'RIGHTS_STEP_FAILED',
  detail: Record<string, unknown>,
  actor?: { id: string; role: string },
): Promise<unknown> {
  const by = actor ?? (request.executedBy ? { id: request.executedBy, role: 'DPO' } : { id: request.requestedBy, role: request.requestedByRole });
  return audit.append(
    {
      tenantId: request.tenantId,
      actorId: by.id,
      actorRole: by.role,
      purpose: 'RIGHTS_REQUEST',
      ticketId: null,
      partnerClientId: null,
      requestId: request.id,
      correlationId: null,
      service: RIGHTS_SERVICE,
      action,
      detail: JSON.stringify({ requestType: request.type, ...detail }),
    },
    [{ type: request.subjectType, id: request.subjectId }],
  );
}
