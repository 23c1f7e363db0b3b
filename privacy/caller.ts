import type { Purpose, Role } from './policy';

export interface SupportTicket {
  id: string;
  reason: string;
  expiresAt: string;
}

/** The authenticated caller of one request, as the gateway established it. */
export interface Caller {
  userId: string;
  tenantId: string;
  role: Role;
  teamId?: string;
  partnerClientId?: string;
  ticket?: SupportTicket;
  purpose: Purpose;
  requestId: string;
}
