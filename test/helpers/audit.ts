import type { AuditLog } from '../../privacy/store/audit';

/** The records a block of work appended to one tenant's audit chain, oldest first. */
export async function auditAppendedBy(audit: AuditLog, tenantId: string, work: () => Promise<unknown>) {
  const before = (await audit.records(tenantId)).length;
  await work();
  return (await audit.records(tenantId)).slice(before);
}
