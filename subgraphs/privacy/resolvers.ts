import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { badUserInput, forbidden } from '../../platform/errors';
import { PRIVACY_RECORD_ACCESS, ROLE_TRAITS, isPurpose, isRole } from '../../privacy/policy';
import type { AuditFilter, AuditQueries } from '../../privacy/rights/audit-queries';
import { disclosedFields } from '../../privacy/rights/export-document';
import type { RightsService } from '../../privacy/rights/service';
import type { AuditRecordRow } from '../../privacy/store/entities';
import type { PrivacyRequestRow, RequestStatus } from '../../privacy/store/rights-entities';
import type { SubgraphContext } from '../shared/context';
import { parseId } from '../shared/ids';
import { parseWindow } from '../shared/pagination';
import { DateTime } from '../shared/scalars';

export interface PrivacyLoaders {
  rights: RightsService;
  audit: AuditQueries;
}

type Context = SubgraphContext<PrivacyLoaders>;

const SUBJECT_TYPES = ['USER', 'CONTACT'] as const;
const ACTION = /^[A-Z_]{1,32}$/;
const FILTER_TEXT = (value: unknown, argument: string, valid: (v: string) => boolean): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !valid(value)) throw badUserInput(`Argument "${argument}" is not valid`, argument);
  return value;
};

function parseSubject(subject: { type?: unknown; id?: unknown } | null | undefined, argument: string) {
  if (!subject || !(SUBJECT_TYPES as readonly unknown[]).includes(subject.type)) throw badUserInput(`Argument "${argument}.type" must be USER or CONTACT`, `${argument}.type`);
  return { type: subject.type as 'USER' | 'CONTACT', id: parseId(subject.id, `${argument}.id`) };
}

const fieldsOf = (record: Pick<AuditRecordRow, 'detail'>) =>
  Object.entries(disclosedFields(record)).flatMap(([field, effects]) => Object.entries(effects).map(([effect, count]) => ({ field, effect, count })));

const parseJson = <T>(json: string | null, fallback: T): T => {
  try {
    return json ? (JSON.parse(json) as T) : fallback;
  } catch {
    return fallback;
  }
};

/** A page of rows with one look-ahead, its cursor sealed for this caller and list. */
function connection<T extends { id: string }, N>(context: Context, list: string, rows: T[], first: number, node: (row: T) => N) {
  const hasNextPage = rows.length > first;
  const page = hasNextPage ? rows.slice(0, first) : rows;
  const last = page[page.length - 1];
  return { nodes: page.map(node), pageInfo: { hasNextPage, endCursor: last ? context.scope.cursors.seal(list, last.id) : null } };
}

function openCursor(context: Context, list: string, after: string | undefined): string | undefined {
  if (!after) return undefined;
  const id = context.scope.cursors.open(list, after);
  if (!id) throw badUserInput('Argument "after" is not a valid cursor', 'after');
  return id;
}

const auditEntry = (row: AuditRecordRow) => ({ ...row, fields: fieldsOf(row) });

export const privacyResolvers: GraphQLResolverMap<Context> = {
  DateTime,
  Query: {
    privacyRequest: async (_: unknown, args: { id: unknown }, { caller, loaders }: Context) => {
      const request = await loaders.rights.requests.get(parseId(args.id));
      return request && (await loaders.rights.mayRead(caller, request)) ? request : null;
    },
    privacyRequests: async (_: unknown, args: { status?: RequestStatus; overdue?: boolean; first?: unknown; after?: unknown }, context: Context) => {
      const { caller, loaders } = context;
      const { first, after } = parseWindow({ first: args.first, after: args.after });
      const afterId = openCursor(context, 'privacyRequests', after);
      const afterRow = afterId ? await loaders.rights.requests.get(afterId) : null;
      if (afterId && !afterRow) throw badUserInput('Argument "after" is not a valid cursor', 'after');
      // How far the role reads requests is policy data (PRIVACY_RECORD_ACCESS).
      const reach = PRIVACY_RECORD_ACCESS.privacyRequests[caller.role];
      if (!reach) throw forbidden('This role may not list privacy requests');
      const scope =
        reach === 'ALL_TENANTS' ? {} : reach === 'OWN_TENANT' ? { tenantId: caller.tenantId } : { tenantId: caller.tenantId, subject: { type: 'USER' as const, id: caller.userId } };
      const rows = await loaders.rights.requests.list({ ...scope, status: args.status, overdueAt: args.overdue ? Date.now() : undefined, after: afterRow ? { receivedAt: afterRow.receivedAt, id: afterRow.id } : undefined, limit: first });
      return connection(context, 'privacyRequests', rows, first, (row) => row);
    },
    erasureDryRun: (_: unknown, args: { requestId: unknown }, { caller, loaders }: Context) => loaders.rights.dryRun(caller, parseId(args.requestId, 'requestId')),
    privacyExport: async (_: unknown, args: { requestId: unknown }, { caller, loaders }: Context) => {
      const id = parseId(args.requestId, 'requestId');
      const found = await loaders.rights.exportDocument(caller, id);
      return found ? { requestId: id, ...found } : null;
    },
    auditLog: async (_: unknown, args: { filter?: Record<string, unknown> | null; first?: unknown; after?: unknown }, context: Context) => {
      const { caller, loaders } = context;
      const reach = PRIVACY_RECORD_ACCESS.auditLog[caller.role];
      if (reach !== 'ALL_TENANTS' && reach !== 'OWN_TENANT') throw forbidden('Only the DPO, or the tenant ADMIN for their tenant, reads the audit log');
      const { first, after } = parseWindow({ first: args.first, after: args.after });
      const raw = args.filter ?? {};
      const from = raw.from instanceof Date ? raw.from : undefined;
      const to = raw.to instanceof Date ? raw.to : undefined;
      if (from && to && from > to) throw badUserInput('Argument "filter.from" must not be after "filter.to"', 'filter.from');
      const filter: AuditFilter = {
        tenantId: reach === 'OWN_TENANT' ? caller.tenantId : raw.tenantId === undefined || raw.tenantId === null ? undefined : parseId(raw.tenantId, 'filter.tenantId'),
        subject: raw.subject ? parseSubject(raw.subject as { type?: unknown; id?: unknown }, 'filter.subject') : undefined,
        actorId: raw.actor === undefined || raw.actor === null ? undefined : parseId(raw.actor, 'filter.actor'),
        role: FILTER_TEXT(raw.role, 'filter.role', isRole),
        purpose: FILTER_TEXT(raw.purpose, 'filter.purpose', isPurpose),
        action: FILTER_TEXT(raw.action, 'filter.action', (v) => ACTION.test(v)),
        from,
        to,
      };
      const afterId = openCursor(context, 'auditLog', after);
      const position = afterId ? await loaders.audit.position(afterId) : undefined;
      if (afterId && !position) throw badUserInput('Argument "after" is not a valid cursor', 'after');
      const rows = await loaders.audit.page(filter, first, position ?? undefined);
      return connection(context, 'auditLog', rows, first, auditEntry);
    },
    myDataAccessLog: async (_: unknown, args: { first?: unknown; after?: unknown }, context: Context) => {
      const { caller, loaders } = context;
      // About the person in the token: only roles that act as that person have a log of their own here.
      if (!ROLE_TRAITS[caller.role].actsAsPerson) throw forbidden('This role has no data access log of its own');
      const { first, after } = parseWindow({ first: args.first, after: args.after });
      const afterId = openCursor(context, 'myDataAccessLog', after);
      const position = afterId ? await loaders.audit.position(afterId) : undefined;
      if (afterId && (!position || position.tenantId !== caller.tenantId)) throw badUserInput('Argument "after" is not a valid cursor', 'after');
      const rows = await loaders.audit.page({ tenantId: caller.tenantId, subject: { type: 'USER', id: caller.userId }, action: 'DISCLOSURE' }, first, position ?? undefined);
      return connection(context, 'myDataAccessLog', rows, first, (row) => ({ at: row.recordedAt, actorId: row.actorId, actorRole: row.actorRole, purpose: row.purpose, service: row.service, fields: fieldsOf(row) }));
    },
  },
  PrivacyRequest: {
    // A reference resolves as the query does: only for a caller who may read the request.
    __resolveReference: async (ref: { id?: unknown }, { caller, loaders }: Context) => {
      if (typeof ref.id !== 'string' || !/^[0-9a-f-]{36}$/i.test(ref.id)) return null;
      const request = await loaders.rights.requests.get(ref.id);
      return request && (await loaders.rights.mayRead(caller, request)) ? request : null;
    },
    subject: (request: PrivacyRequestRow) => ({ type: request.subjectType, id: request.subjectId }),
    receivedAt: (request: PrivacyRequestRow) => new Date(request.receivedAt),
    dueAt: (request: PrivacyRequestRow) => new Date(request.dueAt),
    completedAt: (request: PrivacyRequestRow) => (request.completedAt ? new Date(request.completedAt) : null),
    overdue: (request: PrivacyRequestRow) => request.dueAt < Date.now() && request.status !== 'COMPLETED' && request.status !== 'REJECTED',
    matchedDataPoints: (request: PrivacyRequestRow) => parseJson<{ matched?: string[] }>(request.verification, {}).matched ?? [],
    steps: (request: PrivacyRequestRow, _: unknown, { loaders }: Context) => loaders.rights.requests.stepsOf(request.id),
  },
  PrivacyRequestStep: {
    entity: (step: { entity: string }) => step.entity || null,
  },
  Mutation: {
    submitPrivacyRequest: (_: unknown, args: { input: { subject: { type?: unknown; id?: unknown }; type: string; purpose?: string | null; corrections?: { field: string; value: string | null }[] | null } }, { caller, loaders }: Context) =>
      loaders.rights.submit(caller, { subject: parseSubject(args.input.subject, 'input.subject'), type: args.input.type as never, purpose: args.input.purpose, corrections: args.input.corrections }),
    verifyPrivacyRequest: (_: unknown, args: { id: unknown; claims: Record<string, string | undefined> }, { caller, loaders }: Context) => loaders.rights.verify(caller, parseId(args.id), args.claims ?? {}),
    approvePrivacyRequest: (_: unknown, args: { id: unknown }, { caller, loaders }: Context) => loaders.rights.approve(caller, parseId(args.id)),
    rejectPrivacyRequest: (_: unknown, args: { id: unknown; reason: string }, { caller, loaders }: Context) => loaders.rights.reject(caller, parseId(args.id), args.reason),
    executePrivacyRequest: (_: unknown, args: { id: unknown }, { caller, loaders }: Context) => loaders.rights.execute(caller, parseId(args.id)),
    resumePrivacyRequest: (_: unknown, args: { id: unknown }, { caller, loaders }: Context) => loaders.rights.resume(caller, parseId(args.id)),
  },
};
