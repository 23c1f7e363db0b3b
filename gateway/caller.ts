import { badUserInput, unauthenticated } from '../platform/errors';
import type { Caller } from '../privacy/caller';
import { DEFAULT_PURPOSE, isPurpose } from '../privacy/vocabulary';
import type { Identity } from './auth';

/**
 * Turns a verified identity and the request's declared purpose into the caller every subgraph
 * sees. A support ticket counts only for SUPPORT and only until it expires; a PARTNER token must
 * name its app.
 */
export function establishCaller(identity: Identity, purposeHeader: string | undefined, requestId: string, now = new Date()): Caller {
  const purpose = purposeHeader ?? DEFAULT_PURPOSE;
  if (!isPurpose(purpose)) throw badUserInput('Header "x-purpose" names an unknown purpose');
  if (identity.role === 'PARTNER' && !identity.partnerClientId) throw unauthenticated('Invalid access token (a partner token names its app)');
  const { ticket, ...rest } = identity;
  const ticketInForce = identity.role === 'SUPPORT' && ticket && new Date(ticket.expiresAt) > now ? ticket : undefined;
  return { ...rest, ...(ticketInForce ? { ticket: ticketInForce } : {}), purpose, requestId };
}
