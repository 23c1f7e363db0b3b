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
  /** Made by the gateway for each request; what audit records and logs are keyed by. */
  requestId: string;
  /** The client's own `x-request-id`, kept only to correlate with its logs (never an audit key). */
  correlationId?: string;
}
