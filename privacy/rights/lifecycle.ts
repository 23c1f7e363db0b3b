import type { Role } from '../policy';
import type { RequestStatus, RequestType } from '../store/rights-entities';

/**
 * The lifecycle of a rights request, as data. Each transition names who may take it, in terms of
 * the caller's relation to the request's subject:
 * - SUBJECT: the user the request is about (a USER's request, made by themselves);
 * - OWNER: the user who owns the contact the request is about ("a contact's request goes to the customer");
 * - a role, always within the request's tenant (the DPO works across the vendor's tenants only
 *   through a token of that tenant, like every other caller).
 * SYSTEM transitions are taken by the product itself (the worker completing the last step, the
 * submission refused as excessive, verification failing).
 */
export type Actor = 'SUBJECT' | 'OWNER' | 'SYSTEM' | Role;

export type Transition = 'SUBMIT' | 'VERIFY' | 'FAIL_VERIFICATION' | 'APPROVE' | 'REJECT' | 'EXECUTE' | 'COMPLETE';

export interface TransitionRule {
  from: RequestStatus | null;
  to: RequestStatus;
  by: readonly Actor[];
}

export const TRANSITIONS: Record<Transition, readonly TransitionRule[]> = {
  // A user asks for their own data; a contact's request is taken in by the business that holds the
  // contact's data: the tenant ADMIN or the contact's owner.
  // (Which of these counts for which kind of subject: SUBMITTERS below.)
  SUBMIT: [{ from: null, to: 'RECEIVED', by: ['SUBJECT', 'OWNER', 'ADMIN'] }],
  // Verification checks data points the requester gave against what is held; the controller (ADMIN) or the DPO runs it.
  VERIFY: [{ from: 'RECEIVED', to: 'VERIFIED', by: ['ADMIN', 'DPO'] }],
  FAIL_VERIFICATION: [{ from: 'RECEIVED', to: 'REJECTED', by: ['ADMIN', 'DPO'] }],
  // The controller decides: the subject's tenant ADMIN ("through your employer").
  APPROVE: [{ from: 'VERIFIED', to: 'APPROVED', by: ['ADMIN'] }],
  // A request can be refused before work starts, by the controller or the DPO.
  REJECT: [
    { from: 'RECEIVED', to: 'REJECTED', by: ['ADMIN', 'DPO'] },
    { from: 'VERIFIED', to: 'REJECTED', by: ['ADMIN', 'DPO'] },
    { from: 'APPROVED', to: 'REJECTED', by: ['DPO'] },
  ],
  // The DPO carries it out: the worker runs its steps.
  EXECUTE: [{ from: 'APPROVED', to: 'IN_PROGRESS', by: ['DPO'] }],
  COMPLETE: [{ from: 'IN_PROGRESS', to: 'COMPLETED', by: ['SYSTEM'] }],
};

/** Reasons a request is REJECTED with. */
export const REJECTION_REASONS = ['VERIFICATION_FAILED', 'MANIFESTLY_EXCESSIVE', 'UNFOUNDED', 'DUPLICATE', 'SUBJECT_NOT_FOUND', 'OTHER'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Days the controller has to answer (Art. 12(3)). */
export const DUE_DAYS = 30;
export const DAY_MS = 86_400_000;

/** Types whose work is a plan of steps over the subgraphs (the others act on the privacy store alone). */
export const REQUEST_TYPES_NEEDING_PURPOSE: readonly RequestType[] = ['OBJECT'];

export type TransitionCheck = { ok: true; rule: TransitionRule } | { ok: false; problem: 'STATE' | 'ACTOR' };

/**
 * Whether `actors` (every description of the caller that holds: e.g. ['ADMIN'], or ['SUBJECT',
 * 'MEMBER']) may take `transition` from `from`. STATE: not from this status; ACTOR: not by them.
 */
export function checkTransition(transition: Transition, from: RequestStatus | null, actors: readonly Actor[]): TransitionCheck {
  const rules = TRANSITIONS[transition].filter((rule) => rule.from === from);
  if (rules.length === 0) return { ok: false, problem: 'STATE' };
  const rule = rules.find((r) => r.by.some((actor) => actors.includes(actor)));
  return rule ? { ok: true, rule } : { ok: false, problem: 'ACTOR' };
}

/** Whether any rule of `transition` could ever let these actors take it (checked before anything is looked up). */
export const mayEverTake = (transition: Transition, actors: readonly Actor[]): boolean =>
  TRANSITIONS[transition].some((rule) => rule.by.some((actor) => actors.includes(actor)));

/** Who takes in a request, by kind of subject: a user asks for themselves; a contact through the business that holds their data. */
export const SUBMITTERS: Record<'USER' | 'CONTACT', readonly Actor[]> = {
  USER: ['SUBJECT'],
  CONTACT: ['OWNER', 'ADMIN'],
};
