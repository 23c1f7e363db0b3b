import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode, forbidden } from '../../platform/errors';
import type { Caller } from '../caller';
import { OBJECTABLE_PURPOSES, ROLE_TRAITS } from '../policy';
import type { AuditLog } from '../store/audit';
import { REQUEST_TYPES, type PrivacyRequestRow, type RequestStatus, type RequestType } from '../store/rights-entities';
import type { SuppressionList } from '../store/suppression';
import { identityClaims, type ErasureCounts, type IdentityClaims, type IdentityPoint, type PersonRef } from './contract';
import { assembleExport, sha256 } from './export-document';
import { checkTransition, DAY_MS, DUE_DAYS, mayEverTake, REJECTION_REASONS, SUBMITTERS, type Actor, type RejectionReason, type Transition } from './lifecycle';
import { initialSteps } from './plan';
import type { PrivacyRequestStore } from './requests';
import { auditRights } from './rights-audit';
import { RightsCallError, type RightsTransport } from './transport';

/** Verification needs this many distinct data points to match what is held. */
export const MIN_MATCHED_POINTS = 2;
/** Default of RIGHTS_MAX_REQUESTS_PER_30_DAYS: more requests about one subject in 30 days are manifestly excessive. */
export const DEFAULT_MAX_REQUESTS = 5;
const MAX_CORRECTIONS = 20;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;

export interface SubmitInput {
  subject: PersonRef;
  type: RequestType;
  purpose?: string | null;
  corrections?: { field: string; value: string | null }[] | null;
}

export interface RightsServiceDeps {
  requests: PrivacyRequestStore;
  transport: RightsTransport;
  audit: AuditLog;
  suppression: SuppressionList;
  maxRequestsPer30Days?: number;
  /** Who owns a contact (undefined: no such contact in the tenant). Default: asks the contacts subgraph through the rights contract. */
  ownerOf?: (tenantId: string, contactId: string) => Promise<string | null | undefined>;
  now?: () => number;
}

const notFound = () => new GraphQLError('No such privacy request', { extensions: { code: ErrorCode.NOT_FOUND } });
const invalidTransition = (transition: Transition, status: RequestStatus) =>
  new GraphQLError(`A privacy request in status ${status} does not allow this (${transition})`, { extensions: { code: ErrorCode.INVALID_TRANSITION } });
const exportExpired = () =>
  new GraphQLError('This export is no longer held (documents are kept for a period after completion, and go with an erasure of the person): submit a new request', {
    extensions: { code: ErrorCode.EXPORT_EXPIRED },
  });
const unavailable = (error: unknown) =>
  new GraphQLError('A subgraph holding the subject’s data is unavailable; try again shortly', { extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, ...(error instanceof RightsCallError ? { serviceName: error.subgraph } : {}) } });

/**
 * The rights workflow as callers drive it: submit, verify, approve, reject, execute; and what they
 * may read of it. Every transition is checked against the lifecycle table (privacy/rights/lifecycle.ts)
 * and written to the audit log.
 */
export class RightsService {
  private readonly maxRequests: number;
  private readonly now: () => number;

  constructor(private readonly deps: RightsServiceDeps) {
    this.maxRequests = deps.maxRequestsPer30Days ?? DEFAULT_MAX_REQUESTS;
    this.now = deps.now ?? Date.now;
  }

  get requests(): PrivacyRequestStore {
    return this.deps.requests;
  }

  /** The owner of a contact, through the contacts subgraph's part of the rights contract (its Contact row). */
  private async ownerOf(tenantId: string, contactId: string): Promise<string | null | undefined> {
    if (this.deps.ownerOf) return this.deps.ownerOf(tenantId, contactId);
    if (!this.deps.transport.subgraphs.includes('contacts')) return undefined;
    try {
      const page = await this.deps.transport.call('contacts', { op: 'export', tenantId, subject: { type: 'CONTACT', id: contactId }, entity: 'Contact', cursor: null, limit: 1 });
      const row = page.rows[0];
      return row ? ((row.ownerId as string | null | undefined) ?? null) : undefined;
    } catch (error) {
      if (error instanceof RightsCallError && error.code === 'NOT_FOUND') return undefined;
      throw unavailable(error);
    }
  }

  /** Every description of the caller that holds for this subject: their role, SUBJECT, OWNER. */
  private async actorsFor(caller: Caller, subject: PersonRef, tenantId: string): Promise<Actor[]> {
    const actors: Actor[] = [caller.role];
    if (!ROLE_TRAITS[caller.role].actsAsPerson || tenantId !== caller.tenantId) return actors;
    if (subject.type === 'USER' && subject.id === caller.userId) actors.push('SUBJECT');
    if (subject.type === 'CONTACT' && (await this.ownerOf(tenantId, subject.id)) === caller.userId) actors.push('OWNER');
    return actors;
  }

  /** A request the caller may act on at all: their tenant's, or any for the DPO. */
  private async load(caller: Caller, id: string): Promise<PrivacyRequestRow> {
    const request = await this.deps.requests.get(id);
    if (!request || (request.tenantId !== caller.tenantId && caller.role !== 'DPO')) throw notFound();
    return request;
  }

  private async check(caller: Caller, transition: Transition, request: PrivacyRequestRow): Promise<void> {
    if (!mayEverTake(transition, [caller.role, 'SUBJECT', 'OWNER'])) throw forbidden(`This role may not ${transition.toLowerCase()} privacy requests`);
    const actors = await this.actorsFor(caller, { type: request.subjectType, id: request.subjectId }, request.tenantId);
    const result = checkTransition(transition, request.status, actors);
    if (!result.ok) {
      if (result.problem === 'STATE') throw invalidTransition(transition, request.status);
      throw forbidden(`This caller may not ${transition.toLowerCase()} this privacy request`);
    }
    // Approval is the controller's: the subject's own tenant ADMIN, never another tenant's.
    if (caller.role === 'ADMIN' && request.tenantId !== caller.tenantId) throw notFound();
  }

  private audit(request: PrivacyRequestRow, caller: Caller | null, transition: Transition, from: RequestStatus | null, to: RequestStatus, extra: Record<string, unknown> = {}) {
    return auditRights(this.deps.audit, request, 'RIGHTS_TRANSITION', { transition, from, to, ...extra }, caller ? { id: caller.userId, role: caller.role } : undefined);
  }

  async submit(caller: Caller, input: SubmitInput): Promise<PrivacyRequestRow> {
    if (!(REQUEST_TYPES as readonly string[]).includes(input.type)) throw badUserInput('Argument "type" is not a request type', 'type');
    const submitters = SUBMITTERS[input.subject.type];
    if (!submitters.some((actor) => actor === caller.role || ((actor === 'SUBJECT' || actor === 'OWNER') && ROLE_TRAITS[caller.role].actsAsPerson))) {
      throw forbidden(input.subject.type === 'USER' ? 'Only the user themselves submits a request about their data' : "A contact's request is submitted by the tenant ADMIN or the contact's owner");
    }
    let purpose: string | null = null;
    if (input.type === 'OBJECT') {
      if (!(OBJECTABLE_PURPOSES as readonly unknown[]).includes(input.purpose)) throw badUserInput(`An objection names one purpose: ${OBJECTABLE_PURPOSES.join(', ')}`, 'purpose');
      purpose = input.purpose as string;
    } else if (input.purpose !== undefined && input.purpose !== null) throw badUserInput('Only an objection names a purpose', 'purpose');
    let corrections: string | null = null;
    if (input.type === 'RECTIFY') {
      const list = input.corrections ?? [];
      if (list.length === 0 || list.length > MAX_CORRECTIONS) throw badUserInput(`A rectification names 1 to ${MAX_CORRECTIONS} corrections`, 'corrections');
      const fields: Record<string, string | null> = {};
      for (const c of list) {
        if (typeof c.field !== 'string' || !FIELD_NAME.test(c.field)) throw badUserInput('A correction names a field like "phone" or "Contact.phone"', 'corrections');
        if (c.value !== null && (typeof c.value !== 'string' || c.value.length > 500 || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(c.value))) throw badUserInput('A corrected value is up to 500 printable characters', 'corrections');
        if (c.field in fields) throw badUserInput('Each field is corrected once', 'corrections');
        fields[c.field] = c.value;
      }
      corrections = JSON.stringify(fields);
    } else if (input.corrections?.length) throw badUserInput('Only a rectification carries corrections', 'corrections');

    const actors = await this.actorsFor(caller, input.subject, caller.tenantId);
    if (input.subject.type === 'CONTACT' && !actors.includes('OWNER') && (await this.ownerOf(caller.tenantId, input.subject.id)) === undefined) throw new GraphQLError('No such subject', { extensions: { code: ErrorCode.NOT_FOUND } });
    if (!SUBMITTERS[input.subject.type].some((actor) => actors.includes(actor))) throw forbidden("A contact's request is submitted by the tenant ADMIN or the contact's owner");

    const now = this.now();
    const recent = await this.deps.requests.countSince(caller.tenantId, input.subject, now - DUE_DAYS * DAY_MS);
    const excessive = recent >= this.maxRequests;
    const request = await this.deps.requests.create({
      tenantId: caller.tenantId,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      type: input.type,
      purpose,
      status: excessive ? 'REJECTED' : 'RECEIVED',
      rejectionReason: excessive ? 'MANIFESTLY_EXCESSIVE' : null,
      requestedBy: caller.userId,
      requestedByRole: caller.role,
      verifiedBy: null,
      approvedBy: null,
      executedBy: null,
      corrections,
      verification: null,
      fingerprints: null,
      result: null,
      receivedAt: now,
      dueAt: now + DUE_DAYS * DAY_MS,
      updatedAt: now,
      completedAt: null,
    });
    await this.audit(request, caller, 'SUBMIT', null, 'RECEIVED');
    if (excessive) await auditRights(this.deps.audit, request, 'RIGHTS_TRANSITION', { transition: 'REJECT', from: 'RECEIVED', to: 'REJECTED', reason: 'MANIFESTLY_EXCESSIVE', requestsIn30Days: recent }, { id: caller.userId, role: caller.role });
    return request;
  }

  /** Checks the data points the requester gave against what every subgraph holds; fewer than two matches reject the request. */
  async verify(caller: Caller, id: string, rawClaims: IdentityClaims): Promise<PrivacyRequestRow> {
    const parsed = identityClaims.safeParse(rawClaims);
    if (!parsed.success) throw badUserInput('Claims are an email (up to 254 characters), a phone (up to 32) and a name (up to 200)', 'claims');
    const claims = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as IdentityClaims;
    if (Object.keys(claims).length === 0) throw badUserInput('Give the data points the requester stated: email, phone, name', 'claims');
    const request = await this.load(caller, id);
    await this.check(caller, 'VERIFY', request);
    const matched = new Set<IdentityPoint>();
    try {
      for (const subgraph of this.deps.transport.subgraphs) {
        const answer = await this.deps.transport.call(subgraph, { op: 'verify', tenantId: request.tenantId, subject: { type: request.subjectType, id: request.subjectId }, claims });
        for (const point of answer.matched) if (point in claims) matched.add(point);
      }
    } catch (error) {
      throw unavailable(error);
    }
    const points = [...matched].sort();
    if (points.length < MIN_MATCHED_POINTS) {
      if (!(await this.deps.requests.transition(id, 'RECEIVED', 'REJECTED', { rejectionReason: 'VERIFICATION_FAILED', verifiedBy: caller.userId, verification: JSON.stringify({ matched: points }) }, this.now()))) throw invalidTransition('VERIFY', (await this.load(caller, id)).status);
      await this.audit(request, caller, 'FAIL_VERIFICATION', 'RECEIVED', 'REJECTED', { reason: 'VERIFICATION_FAILED', matched: points });
      return (await this.deps.requests.get(id))!;
    }
    // Matched email and phone become the suppression list's keyed hashes if the person is erased; the values themselves are not kept.
    const identifiers = (['email', 'phone'] as const)
      .filter((point) => matched.has(point))
      .map((point) => {
        const kind = point === 'email' ? ('EMAIL' as const) : ('PHONE' as const);
        return { kind, fingerprint: this.deps.suppression.fingerprint(request.tenantId, kind, claims[point]!) };
      });
    if (!(await this.deps.requests.transition(id, 'RECEIVED', 'VERIFIED', { verifiedBy: caller.userId, verification: JSON.stringify({ matched: points, identifiers }) }, this.now()))) throw invalidTransition('VERIFY', (await this.load(caller, id)).status);
    await this.audit(request, caller, 'VERIFY', 'RECEIVED', 'VERIFIED', { matched: points });
    return (await this.deps.requests.get(id))!;
  }

  async approve(caller: Caller, id: string): Promise<PrivacyRequestRow> {
    const request = await this.load(caller, id);
    await this.check(caller, 'APPROVE', request);
    if (!(await this.deps.requests.transition(id, 'VERIFIED', 'APPROVED', { approvedBy: caller.userId }, this.now()))) throw invalidTransition('APPROVE', (await this.load(caller, id)).status);
    await this.audit(request, caller, 'APPROVE', 'VERIFIED', 'APPROVED');
    return (await this.deps.requests.get(id))!;
  }

  async reject(caller: Caller, id: string, reason: string): Promise<PrivacyRequestRow> {
    if (!(REJECTION_REASONS as readonly string[]).includes(reason)) throw badUserInput(`Argument "reason" is one of ${REJECTION_REASONS.join(', ')}`, 'reason');
    const request = await this.load(caller, id);
    await this.check(caller, 'REJECT', request);
    if (!(await this.deps.requests.transition(id, request.status, 'REJECTED', { rejectionReason: reason as RejectionReason }, this.now()))) throw invalidTransition('REJECT', (await this.load(caller, id)).status);
    await this.audit(request, caller, 'REJECT', request.status, 'REJECTED', { reason });
    return (await this.deps.requests.get(id))!;
  }

  /** The DPO starts the work: IN_PROGRESS with its first steps, which the worker runs. */
  async execute(caller: Caller, id: string): Promise<PrivacyRequestRow> {
    const request = await this.load(caller, id);
    await this.check(caller, 'EXECUTE', request);
    if (!(await this.deps.requests.startExecution(request, caller.userId, initialSteps(request.type, this.deps.transport.subgraphs), this.now()))) throw invalidTransition('EXECUTE', (await this.load(caller, id)).status);
    await this.audit(request, caller, 'EXECUTE', 'APPROVED', 'IN_PROGRESS');
    return (await this.deps.requests.get(id))!;
  }

  /** The DPO sends FAILED steps of a request IN_PROGRESS back to the worker once the cause is fixed. */
  async resume(caller: Caller, id: string): Promise<PrivacyRequestRow> {
    if (caller.role !== 'DPO') throw forbidden('Only the DPO resumes a privacy request');
    const request = await this.load(caller, id);
    if (request.status !== 'IN_PROGRESS') throw invalidTransition('EXECUTE', request.status);
    const steps = await this.deps.requests.resume(id, this.now());
    await auditRights(this.deps.audit, request, 'RIGHTS_TRANSITION', { transition: 'RESUME', steps }, { id: caller.userId, role: caller.role });
    return request;
  }

  /** Whether the caller may read this request: its subject, the contact's owner, the tenant ADMIN, the DPO. */
  async mayRead(caller: Caller, request: PrivacyRequestRow): Promise<boolean> {
    if (caller.role === 'DPO') return true;
    if (request.tenantId !== caller.tenantId) return false;
    if (caller.role === 'ADMIN') return true;
    const actors = await this.actorsFor(caller, { type: request.subjectType, id: request.subjectId }, request.tenantId);
    return actors.includes('SUBJECT') || actors.includes('OWNER') || request.requestedBy === caller.userId;
  }

  /** What erasure would do, per subgraph and entity, now (counts only). ADMIN of the tenant and the DPO. */
  async dryRun(caller: Caller, id: string): Promise<(ErasureCounts & { subgraph: string })[]> {
    if (caller.role !== 'DPO' && caller.role !== 'ADMIN') throw forbidden('Only the DPO or the tenant ADMIN sees an erasure dry run');
    const request = await this.load(caller, id);
    if (caller.role === 'ADMIN' && request.tenantId !== caller.tenantId) throw notFound();
    if (request.type !== 'ERASE') throw badUserInput('A dry run is of an erasure request', 'requestId');
    const counts: (ErasureCounts & { subgraph: string })[] = [];
    try {
      for (const subgraph of this.deps.transport.subgraphs) {
        const answer = await this.deps.transport.call(subgraph, { op: 'dryRun', tenantId: request.tenantId, subject: { type: request.subjectType, id: request.subjectId } });
        for (const entity of answer.entities) counts.push({ subgraph, ...entity });
      }
    } catch (error) {
      throw unavailable(error);
    }
    return counts;
  }

  /** The export document of a COMPLETED access or export request: for the user it is about, the DPO, or (a contact's) the tenant ADMIN who answers the contact. */
  async exportDocument(caller: Caller, id: string): Promise<{ document: string; sha256: string; schemaVersion: number } | null> {
    const request = await this.deps.requests.get(id);
    if (!request || (request.tenantId !== caller.tenantId && caller.role !== 'DPO')) return null;
    const allowed =
      caller.role === 'DPO' ||
      (request.subjectType === 'USER' && ROLE_TRAITS[caller.role].actsAsPerson && request.subjectId === caller.userId) ||
      (request.subjectType === 'CONTACT' && caller.role === 'ADMIN');
    if (!allowed) throw forbidden('Only the person it is about, the DPO, or for a contact the tenant ADMIN reads an export');
    if (request.type !== 'ACCESS' && request.type !== 'EXPORT') throw badUserInput('Only an access or export request has a document', 'requestId');
    if (request.status !== 'COMPLETED') return null;
    // A completed export always holds its summary page: none left means retention or an erasure removed the document.
    const parts = await this.deps.requests.parts(id);
    if (parts.length === 0) throw exportExpired();
    const document = assembleExport(request, parts);
    const receipt = JSON.parse(request.result ?? '{}') as { sha256?: string; schemaVersion?: number };
    return { document, sha256: sha256(document), schemaVersion: receipt.schemaVersion ?? 1 };
  }
}
