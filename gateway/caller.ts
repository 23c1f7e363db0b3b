import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode, unauthenticated } from '../platform/errors';
import type { Caller } from '../privacy/caller';
import { defaultPurposeOf, isPurpose, ROLE_PURPOSES } from '../privacy/policy';
import type { Identity } from './auth';

/**
 * Turns a verified identity and the request's declared purpose into the caller every subgraph
 * sees. No `x-purpose` means SERVICE, or the role's own purpose where SERVICE is not the role's;
 * a purpose the role may not use is refused (PURPOSE_NOT_ALLOWED). A support ticket counts only for SUPPORT and only until it expires; a PARTNER token must
 * name its app.
 */
export function establishCaller(identity: Identity, purposeHeader: string | undefined, requestId: string, now = new Date()): Caller {
  const purpose = purposeHeader ?? defaultPurposeOf(identity.role);
  if (!isPurpose(purpose)) throw badUserInput('Header "x-purpose" names an unknown purpose');
  if (!ROLE_PURPOSES[identity.role].includes(purpose)) {
    throw new GraphQLError(`A ${identity.role} caller may not declare the purpose ${purpose} (allowed: ${ROLE_PURPOSES[identity.role].join(', ')})`, {
      extensions: { code: ErrorCode.PURPOSE_NOT_ALLOWED, http: { status: 403 } },
    });
  }
  if (identity.role === 'PARTNER' && !identity.partnerClientId) throw unauthenticated('Invalid access token (a partner token names its app)');
  const { ticket, ...rest } = identity;
  const ticketInForce = identity.role === 'SUPPORT' && ticket && new Date(ticket.expiresAt) > now ? ticket : undefined;
  return { ...rest, ...(ticketInForce ? { ticket: ticketInForce } : {}), purpose, requestId };
}
