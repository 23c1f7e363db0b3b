import { DEV_INTERNAL_SECRET } from '../../platform/env';
import type { Caller } from '../../privacy/caller';
import type { ConsentPurpose, Effect, Purpose, Role } from '../../privacy/policy';
import { pathSegments, wireNotices, type NoticeWire, type PrivacyExtension } from '../../privacy/enforcement/notices';
import { hiddenValues } from '../helpers/privacy';
import { CONTEXT_HEADER, ContextSigner } from '../../privacy/signed-context';
import type { SubgraphName } from '../../subgraphs/shared/subgraph';
import { postGraphQL, startTestStack, type TestStack } from '../helpers/stack';

/**
 * The policy, cell by cell: role × relation × purpose × consent state × field × access path,
 * through the gateway against the seeded data. Each expected effect is written from the product's
 * policy (not computed by the engine), and every cell is read three ways: from a root field, nested
 * under another entity, and as an `_entities` representation sent straight to the subgraph.
 */
let t: TestStack;
const tenant = () => t.demo.tenants[0]!;
const users = () => t.demo.users.filter((u) => u.tenantId === tenant().id);
const live = (subjectId: string, purpose: ConsentPurpose): boolean => {
  const records = t.demo.consentRecords.filter((r) => r.subjectId === subjectId && r.purpose === purpose);
  return records.length > 0 && records[records.length - 1]!.status === 'GRANTED';
};


type Kind = 'Contact' | 'User' | 'CallLog' | 'LocationPing';
type Path = 'root' | 'nested' | 'entities';
const PATHS: Path[] = ['root', 'nested', 'entities'];

interface Observed {
  value: unknown;
  notice?: { effect: string; reason: string };
  /** The row was not listed at all (a list through a link the caller is not shown). */
  unlisted?: boolean;
}

interface CallerSpec {
  role: Role;
  userId: string;
  purpose?: Purpose;
  ticket?: boolean;
  partner?: string;
}

async function tokenOf(spec: CallerSpec): Promise<string> {
  const user = users().find((u) => u.id === spec.userId)!;
  return t.tokenFor(spec.role, {
    user: user.id,
    claims: {
      ...(spec.partner ? { partner: spec.partner } : {}),
      ...(spec.ticket ? { ticket: { id: 'T-7', reason: 'Customer request', expiresAt: new Date(Date.now() + 3600_000).toISOString() } } : {}),
    },
  });
}

/** A row a list did not include: what was asked of it cannot be picked. */
class Unlisted extends Error {}
const listed = <T,>(row: T | null | undefined): T => {
  if (row === null || row === undefined) throw new Unlisted();
  return row;
};

/** The query that reaches `field` of the row `id` of `kind` by each access path. */
function queryFor(kind: Kind, id: string, field: string, path: Path): { query: string; pick: (data: any) => unknown; at: (string | number)[] | ((p: (string | number)[], data: any) => boolean) } {
  const contactOf = (cid: string) => t.demo.contacts.find((c) => c.id === cid)!;
  switch (kind) {
    case 'Contact':
      if (path === 'root') return { query: `{ contact(id: "${id}") { ${field} } }`, pick: (d) => d.contact[field], at: ['contact', field] };
      return {
        query: `{ user(id: "${contactOf(id).ownerId}") { contacts(first: 100) { nodes { id ${field} } } } }`,
        pick: (d) => d.user.contacts.nodes.find((n: { id: string }) => n.id === id)[field],
        at: (p, d) => p.join('.') === ['user', 'contacts', 'nodes', d.user.contacts.nodes.findIndex((n: { id: string }) => n.id === id), field].join('.'),
      };
    case 'User': {
      if (path === 'root') return { query: `{ user(id: "${id}") { ${field} } }`, pick: (d) => d.user[field], at: ['user', field] };
      const owned = t.demo.contacts.find((c) => c.ownerId === id)!;
      return { query: `{ contact(id: "${owned.id}") { owner { ${field} } } }`, pick: (d) => d.contact.owner[field], at: ['contact', 'owner', field] };
    }
    case 'CallLog': {
      if (path === 'root') return { query: `{ callLog(id: "${id}") { ${field} } }`, pick: (d) => d.callLog[field], at: ['callLog', field] };
      const call = t.demo.callLogs.find((c) => c.id === id)!;
      return {
        query: `{ user(id: "${call.userId}") { calls(first: 100) { nodes { id ${field} } } } }`,
        pick: (d) => listed(d.user.calls.nodes.find((n: { id: string }) => n.id === id))[field],
        at: (p, d) => p.join('.') === ['user', 'calls', 'nodes', d.user.calls.nodes.findIndex((n: { id: string }) => n.id === id), field].join('.'),
      };
    }
    case 'LocationPing': {
      if (path === 'root') return { query: `{ user(id: "${id}") { lastLocation { ${field} } } }`, pick: (d) => listed(d.user.lastLocation)[field], at: ['user', 'lastLocation', field] };
      const owned = t.demo.contacts.find((c) => c.ownerId === id)!;
      return { query: `{ contact(id: "${owned.id}") { owner { lastLocation { ${field} } } } }`, pick: (d) => listed(d.contact.owner.lastLocation)[field], at: ['contact', 'owner', 'lastLocation', field] };
    }
  }
}

const ENTITY_ROUTE: Record<Kind, { subgraph: SubgraphName; typename: string; selection: (field: string) => string; pick: (e: any, field: string) => unknown }> = {
  Contact: { subgraph: 'contacts', typename: 'Contact', selection: (f) => `... on Contact { ${f} }`, pick: (e, f) => e[f] },
  User: { subgraph: 'accounts', typename: 'User', selection: (f) => `... on User { ${f} }`, pick: (e, f) => e[f] },
  CallLog: { subgraph: 'calls', typename: 'CallLog', selection: (f) => `... on CallLog { ${f} }`, pick: (e, f) => e[f] },
  LocationPing: { subgraph: 'location', typename: 'User', selection: (f) => `... on User { lastLocation { ${f} } }`, pick: (e, f) => e.lastLocation[f] },
};

async function observe(caller: CallerSpec, kind: Kind, id: string, field: string, path: Path): Promise<Observed> {
  if (path === 'entities') {
    const route = ENTITY_ROUTE[kind];
    const me = users().find((u) => u.id === caller.userId)!;
    const context: Caller = {
      userId: me.id,
      tenantId: tenant().id,
      role: caller.role,
      ...(me.teamId ? { teamId: me.teamId } : {}),
      ...(caller.partner ? { partnerClientId: caller.partner } : {}),
      ...(caller.ticket ? { ticket: { id: 'T-7', reason: 'Customer request', expiresAt: new Date(Date.now() + 3600_000).toISOString() } } : {}),
      purpose: caller.purpose ?? ({ SUPPORT: 'SUPPORT', PARTNER: 'PARTNER_SHARING', DPO: 'RIGHTS_REQUEST' } as Partial<Record<Role, Purpose>>)[caller.role] ?? 'SERVICE',
      requestId: 'matrix',
    };
    const operation = { query: `{ _entities(representations: [{ __typename: "${route.typename}", id: "${id}" }]) { ${route.selection(field)} } }` };
    const signed = await new ContextSigner(DEV_INTERNAL_SECRET).sign(context, route.subgraph, operation);
    const res = await postGraphQL(t.stack.subgraphs[route.subgraph].url, operation, { [CONTEXT_HEADER]: signed });
    expect(res.body.errors).toBeUndefined();
    const wire = (res.body.extensions?.privacy ?? { rows: [], groups: [] }) as NoticeWire;
    const notice = [...wireNotices(wire)].map((n) => ({ ...n, path: pathSegments(n.path) })).find((n) => n.path[n.path.length - 1] === field);
    try {
      return { value: route.pick(res.body.data!._entities[0], field), notice };
    } catch (error) {
      if (error instanceof Unlisted || (kind === 'LocationPing' && res.body.data!._entities[0].lastLocation === null)) return { value: null, unlisted: true };
      throw error;
    }
  }
  const { query, pick, at } = queryFor(kind, id, field, path);
  const res = await t.query(query, { token: await tokenOf(caller), headers: caller.purpose ? { 'x-purpose': caller.purpose } : {} });
  expect(res.body.errors).toBeUndefined();
  const notices = hiddenValues(res.body.extensions?.privacy as PrivacyExtension | undefined);
  const matches = typeof at === 'function' ? (p: (string | number)[]) => at(p, res.body.data) : (p: (string | number)[]) => p.join('.') === at.join('.');
  try {
    return { value: pick(res.body.data), notice: notices.find((n) => matches(n.path)) };
  } catch (error) {
    if (error instanceof Unlisted || error instanceof TypeError) return { value: null, unlisted: true };
    throw error;
  }
}

function expectEffect(observed: Observed, raw: unknown, effect: Effect, label: string): void {
  const rawValue = raw instanceof Date ? raw.toISOString() : raw;
  // A list through a link the caller is not shown leaves the row out: it shows nothing of it, as WITHHOLD does.
  const got = { label, effect: observed.unlisted ? 'WITHHOLD' : (observed.notice?.effect ?? 'FULL') };
  expect(got).toEqual({ label, effect });
  switch (effect) {
    case 'FULL':
      if (label.includes('recordingUrl')) expect(observed.value).toMatch(/^http.*signature=/);
      else expect({ label, value: observed.value }).toEqual({ label, value: rawValue });
      break;
    case 'WITHHOLD':
      expect({ label, value: observed.value }).toEqual({ label, value: null });
      break;
    default:
      expect(observed.value).not.toBeNull();
      expect({ label, value: observed.value }).not.toEqual({ label, value: rawValue });
  }
}

/* ---------------------------------------------------------------- the people and rows of the cells */
function cast() {
  const [admin, rep, ...others] = users().filter((u) => u.status === 'ACTIVE');
  const colleague = others.find((u) => u.teamId !== rep!.teamId)!;
  const teamContact = t.demo.contacts.find((c) => c.teamId === rep!.teamId && c.ownerId !== rep!.id && c.phone && c.email)!;
  const otherContact = t.demo.contacts.find((c) => c.tenantId === tenant().id && c.teamId && c.teamId !== rep!.teamId && c.phone && c.email && !live(c.id, 'PARTNER_SHARING'))!;
  const sharingContact = t.demo.contacts.find((c) => c.tenantId === tenant().id && c.email && live(c.id, 'PARTNER_SHARING'))!;
  const ownContact = t.demo.contacts.find((c) => c.ownerId === rep!.id && c.phone)!;
  const marketingContact = t.demo.contacts.find((c) => c.teamId === rep!.teamId && c.email && live(c.id, 'MARKETING'))!;
  const noMarketingContact = t.demo.contacts.find((c) => c.teamId === rep!.teamId && c.email && !live(c.id, 'MARKETING'))!;
  // The newest such call, so the first page of the user's calls holds it.
  const newest = (calls: typeof t.demo.callLogs) => [...calls].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0]!;
  const callOf = (userId: string, extra: (c: (typeof t.demo.callLogs)[number]) => boolean = () => true) =>
    newest(t.demo.callLogs.filter((c) => c.userId === userId && c.contactId && c.notes && extra(c)));
  const unknownNumberCallOf = (userId: string) => newest(t.demo.callLogs.filter((c) => c.userId === userId && !c.contactId));
  const recordedWithConsent = t.demo.callLogs.find((c) => c.tenantId === tenant().id && c.recordingUrl && c.contactId && live(c.contactId, 'CALL_RECORDING'))!;
  const recordedWithoutConsent = t.demo.callLogs.find((c) => c.tenantId === tenant().id && c.recordingUrl && c.contactId && !live(c.contactId, 'CALL_RECORDING'))!;
  const owners = new Set(t.demo.contacts.map((c) => c.ownerId));
  const someoneElse = (u: { id: string }) => u.id !== admin!.id && u.id !== rep!.id && owners.has(u.id);
  const tracked = users().find((u) => someoneElse(u) && live(u.id, 'LOCATION_TRACKING'))!;
  const untracked = users().find((u) => someoneElse(u) && !live(u.id, 'LOCATION_TRACKING'))!;
  const installer = t.demo.partnerInstallations.find((i) => i.tenantId === tenant().id && i.clientId === 'marketplace-dialer')!.installedBy;
  return { admin: admin!, rep: rep!, colleague, teamContact, otherContact, sharingContact, ownContact, marketingContact, noMarketingContact, callOf, unknownNumberCallOf, recordedWithConsent, recordedWithoutConsent, tracked, untracked, installer };
}

const pingOf = (userId: string) => t.demo.locationPings.filter((p) => p.userId === userId).sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime())[0]!;

type Cell = [string, (c: ReturnType<typeof cast>) => { caller: CallerSpec; kind: Kind; id: string; raw: any }, string, Effect];

/** [description, who asks about which row, field, expected effect] */
const CELLS: Cell[] = [
  // MEMBER: the team's contacts in full; other teams' contacts name only; colleagues' phone masked.
  ['MEMBER · team contact · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'Contact', id: c.teamContact.id, raw: c.teamContact }), 'phone', 'FULL'],
  ['MEMBER · team contact · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'Contact', id: c.teamContact.id, raw: c.teamContact }), 'email', 'FULL'],
  ['MEMBER · own contact · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'Contact', id: c.ownContact.id, raw: c.ownContact }), 'phone', 'FULL'],
  ['MEMBER · other team contact · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'Contact', id: c.otherContact.id, raw: c.otherContact }), 'name', 'FULL'],
  ['MEMBER · other team contact · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'Contact', id: c.otherContact.id, raw: c.otherContact }), 'email', 'MASK'],
  ['MEMBER · other team contact · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'Contact', id: c.otherContact.id, raw: c.otherContact }), 'phone', 'MASK'],
  ['MEMBER · colleague · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'User', id: c.colleague.id, raw: c.colleague }), 'name', 'FULL'],
  ['MEMBER · colleague · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'User', id: c.colleague.id, raw: c.colleague }), 'email', 'FULL'],
  ['MEMBER · colleague · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'User', id: c.colleague.id, raw: c.colleague }), 'phone', 'MASK'],
  ['MEMBER · self · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'User', id: c.rep.id, raw: c.rep }), 'phone', 'FULL'],
  // MEMBER: call logs and locations are for self consumption only.
  ['MEMBER · own call · SERVICE · unknown number', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'CallLog', id: c.unknownNumberCallOf(c.rep.id).id, raw: c.unknownNumberCallOf(c.rep.id) }), 'counterpartyNumber', 'FULL'],
  // One datum, one field: a contact's number is read as contact.phone, never as the call's number.
  ['MEMBER · own call · SERVICE · contact number', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'CallLog', id: c.callOf(c.rep.id).id, raw: c.callOf(c.rep.id) }), 'counterpartyNumber', 'WITHHOLD'],
  ['MEMBER · own call · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'CallLog', id: c.callOf(c.rep.id).id, raw: c.callOf(c.rep.id) }), 'startedAt', 'FULL'],
  ['MEMBER · own call · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'CallLog', id: c.callOf(c.rep.id).id, raw: c.callOf(c.rep.id) }), 'notes', 'FULL'],
  ['MEMBER · colleague call · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'counterpartyNumber', 'WITHHOLD'],
  ['MEMBER · colleague call · SERVICE', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'startedAt', 'WITHHOLD'],
  ['MEMBER · tracked colleague location · consent live', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'LocationPing', id: c.tracked.id, raw: pingOf(c.tracked.id) }), 'latitude', 'WITHHOLD'],
  ['MEMBER · own location', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id }, kind: 'LocationPing', id: c.rep.id, raw: pingOf(c.rep.id) }), 'latitude', 'FULL'],
  // ADMIN: the tenant's people in full; call numbers masked, notes withheld; locations coarse, with consent only.
  ['ADMIN · other team contact · SERVICE', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'Contact', id: c.otherContact.id, raw: c.otherContact }), 'phone', 'FULL'],
  ['ADMIN · colleague · SERVICE', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'User', id: c.colleague.id, raw: c.colleague }), 'phone', 'FULL'],
  ['ADMIN · colleague call · SERVICE', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'startedAt', 'FULL'],
  ['ADMIN · colleague call · SERVICE · unknown number', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'CallLog', id: c.unknownNumberCallOf(c.colleague.id).id, raw: c.unknownNumberCallOf(c.colleague.id) }), 'counterpartyNumber', 'MASK'],
  ['ADMIN · colleague call · SERVICE · contact number', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'counterpartyNumber', 'WITHHOLD'],
  ['ADMIN · colleague call · SERVICE', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'notes', 'WITHHOLD'],
  ['ADMIN · location · consent live', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'LocationPing', id: c.tracked.id, raw: pingOf(c.tracked.id) }), 'latitude', 'GENERALIZE'],
  ['ADMIN · location · consent live', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'LocationPing', id: c.tracked.id, raw: pingOf(c.tracked.id) }), 'recordedAt', 'GENERALIZE'],
  ['ADMIN · location · no consent', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'LocationPing', id: c.untracked.id, raw: pingOf(c.untracked.id) }), 'latitude', 'WITHHOLD'],
  ['ADMIN · recording · recording consent live', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'CallLog', id: c.recordedWithConsent.id, raw: c.recordedWithConsent }), 'recordingUrl', 'FULL'],
  ['ADMIN · recording · no recording consent', (c) => ({ caller: { role: 'ADMIN', userId: c.admin.id }, kind: 'CallLog', id: c.recordedWithoutConsent.id, raw: c.recordedWithoutConsent }), 'recordingUrl', 'WITHHOLD'],
  // Consent-based purposes need the subject's consent.
  ['MEMBER · team contact · MARKETING · consent live', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id, purpose: 'MARKETING' }, kind: 'Contact', id: c.marketingContact.id, raw: c.marketingContact }), 'email', 'FULL'],
  ['MEMBER · team contact · MARKETING · no consent', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id, purpose: 'MARKETING' }, kind: 'Contact', id: c.noMarketingContact.id, raw: c.noMarketingContact }), 'email', 'MASK'],
  // SUPPORT: masked without a ticket, in full with one.
  ['SUPPORT · contact · SUPPORT · no ticket', (c) => ({ caller: { role: 'SUPPORT', userId: c.admin.id }, kind: 'Contact', id: c.teamContact.id, raw: c.teamContact }), 'name', 'MASK'],
  ['SUPPORT · contact · SUPPORT · no ticket', (c) => ({ caller: { role: 'SUPPORT', userId: c.admin.id }, kind: 'Contact', id: c.teamContact.id, raw: c.teamContact }), 'phone', 'MASK'],
  ['SUPPORT · call · SUPPORT · no ticket', (c) => ({ caller: { role: 'SUPPORT', userId: c.admin.id }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'notes', 'WITHHOLD'],
  ['SUPPORT · contact · SUPPORT · ticket', (c) => ({ caller: { role: 'SUPPORT', userId: c.admin.id, ticket: true }, kind: 'Contact', id: c.teamContact.id, raw: c.teamContact }), 'phone', 'FULL'],
  ['SUPPORT · call · SUPPORT · ticket', (c) => ({ caller: { role: 'SUPPORT', userId: c.admin.id, ticket: true }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'notes', 'FULL'],
  // PARTNER: the installing user's name and email; contacts pseudonymous unless they agreed to sharing.
  ['PARTNER · installing user · PARTNER_SHARING', (c) => ({ caller: { role: 'PARTNER', userId: c.installer, partner: 'marketplace-dialer' }, kind: 'User', id: c.installer, raw: users().find((u) => u.id === c.installer) }), 'email', 'FULL'],
  ['PARTNER · installing user · PARTNER_SHARING', (c) => ({ caller: { role: 'PARTNER', userId: c.installer, partner: 'marketplace-dialer' }, kind: 'User', id: c.installer, raw: users().find((u) => u.id === c.installer) }), 'phone', 'WITHHOLD'],
  ['PARTNER · another user · PARTNER_SHARING', (c) => ({ caller: { role: 'PARTNER', userId: c.installer, partner: 'marketplace-dialer' }, kind: 'User', id: c.colleague.id, raw: c.colleague }), 'name', 'WITHHOLD'],
  ['PARTNER · contact · no sharing consent', (c) => ({ caller: { role: 'PARTNER', userId: c.installer, partner: 'marketplace-dialer' }, kind: 'Contact', id: c.otherContact.id, raw: c.otherContact }), 'name', 'PSEUDONYM'],
  ['PARTNER · contact · no sharing consent', (c) => ({ caller: { role: 'PARTNER', userId: c.installer, partner: 'marketplace-dialer' }, kind: 'Contact', id: c.otherContact.id, raw: c.otherContact }), 'phone', 'WITHHOLD'],
  // With the contact's consent a partner gets the name, and still nothing else (data minimization).
  ['PARTNER · contact · sharing consent live', (c) => ({ caller: { role: 'PARTNER', userId: c.installer, partner: 'marketplace-dialer' }, kind: 'Contact', id: c.sharingContact.id, raw: c.sharingContact }), 'name', 'FULL'],
  ['PARTNER · contact · sharing consent live', (c) => ({ caller: { role: 'PARTNER', userId: c.installer, partner: 'marketplace-dialer' }, kind: 'Contact', id: c.sharingContact.id, raw: c.sharingContact }), 'email', 'WITHHOLD'],
  // A consent-based purpose never shows more than the role's grant: a colleague's call stays withheld.
  ['MEMBER · colleague call · ANALYTICS', (c) => ({ caller: { role: 'MEMBER', userId: c.rep.id, purpose: 'ANALYTICS' }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'durationSeconds', 'WITHHOLD'],
  ['PARTNER · call · PARTNER_SHARING', (c) => ({ caller: { role: 'PARTNER', userId: c.installer, partner: 'marketplace-dialer' }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'startedAt', 'WITHHOLD'],
  // DPO: in full for rights requests and legal purposes.
  ['DPO · contact · RIGHTS_REQUEST', (c) => ({ caller: { role: 'DPO', userId: c.admin.id }, kind: 'Contact', id: c.otherContact.id, raw: c.otherContact }), 'phone', 'FULL'],
  ['DPO · call · LEGAL', (c) => ({ caller: { role: 'DPO', userId: c.admin.id, purpose: 'LEGAL' }, kind: 'CallLog', id: c.callOf(c.colleague.id).id, raw: c.callOf(c.colleague.id) }), 'notes', 'FULL'],
];

/** Both executors of the generated rules must give the same answer in every cell. */
describe.each(['compiled', 'shield'] as const)('privacy matrix (%s engine)', (engine) => {
  beforeAll(async () => {
    t = await startTestStack({ subgraph: { privacyEngine: engine } });
  });
  afterAll(() => t.close());

  const rows = CELLS.flatMap(([label, who, field, effect]) => PATHS.map((path) => [`${label} · ${field} · ${path} → ${effect}`, who, field, effect, path] as const));

  it.each(rows)('%s', async (label, who, field, effect, path) => {
    const { caller, kind, id, raw } = who(cast());
    expect(raw).toBeDefined();
    expectEffect(await observe(caller, kind, id, field, path), raw[field], effect, label);
  });

  it('refuses a purpose the role may not use', async () => {
    const { rep } = cast();
    const res = await t.query('{ me { id } }', { token: await tokenOf({ role: 'MEMBER', userId: rep.id }), headers: { 'x-purpose': 'LEGAL' } });
    expect(res.status).toBe(403);
    expect(res.body.errors![0]!.extensions!.code).toBe('PURPOSE_NOT_ALLOWED');
  });
});

describe('consent', () => {
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(() => t.close());

  it('is in force on the very next request, in another subgraph', async () => {
    const { admin, untracked } = cast();
    const token = await tokenOf({ role: 'ADMIN', userId: admin.id });
    const read = async () => {
      const observed = await observe({ role: 'ADMIN', userId: admin.id }, 'LocationPing', untracked.id, 'latitude', 'root');
      return observed.unlisted ? 'UNLISTED' : (observed.notice?.effect ?? 'FULL');
    };
    expect(await read()).toBe('UNLISTED');

    // The user grants it for themselves (recorded by the contacts subgraph, read by location).
    const self = await tokenOf({ role: 'MEMBER', userId: untracked.id });
    const grant = await t.query(`mutation { grantConsent(subject: { type: USER, id: "${untracked.id}" }, purpose: LOCATION_TRACKING, source: "mobile-app") { status purpose source } }`, { token: self });
    expect(grant.body.data.grantConsent).toEqual({ status: 'GRANTED', purpose: 'LOCATION_TRACKING', source: 'mobile-app' });
    expect(await read()).toBe('GENERALIZE');

    const withdraw = await t.query(`mutation { withdrawConsent(subject: { type: USER, id: "${untracked.id}" }, purpose: LOCATION_TRACKING) { status } }`, { token: self });
    expect(withdraw.body.data.withdrawConsent.status).toBe('WITHDRAWN');
    expect(await read()).toBe('UNLISTED');

    const history = await t.query(`{ consents(subject: { type: USER, id: "${untracked.id}" }) { current { purpose granted } history { purpose status } } }`, { token });
    const location = history.body.data.consents.history.filter((h: { purpose: string }) => h.purpose === 'LOCATION_TRACKING');
    expect(location.slice(-2)).toEqual([
      { purpose: 'LOCATION_TRACKING', status: 'GRANTED' },
      { purpose: 'LOCATION_TRACKING', status: 'WITHDRAWN' },
    ]);
    expect(history.body.data.consents.current).toContainEqual({ purpose: 'LOCATION_TRACKING', granted: false });
  });

  it('is recorded by the contact’s owner or an ADMIN, never by another rep, SUPPORT or a partner', async () => {
    const { rep, admin, otherContact, installer } = cast();
    const mutation = `mutation { grantConsent(subject: { type: CONTACT, id: "${otherContact.id}" }, purpose: MARKETING, source: "web-form") { status } }`;
    const codeFor = async (spec: CallerSpec) => (await t.query(mutation, { token: await tokenOf(spec) })).body.errors?.[0]?.extensions?.code ?? 'OK';
    expect(await codeFor({ role: 'MEMBER', userId: rep.id })).toBe('FORBIDDEN');
    expect(await codeFor({ role: 'SUPPORT', userId: admin.id, ticket: true })).toBe('FORBIDDEN');
    expect(await codeFor({ role: 'PARTNER', userId: installer, partner: 'marketplace-dialer' })).toBe('FORBIDDEN');
    expect(await codeFor({ role: 'MEMBER', userId: otherContact.ownerId! })).toBe('OK');
    expect(await codeFor({ role: 'ADMIN', userId: admin.id })).toBe('OK');
    const bad = await t.query(`mutation { grantConsent(subject: { type: USER, id: "not-an-id" }, purpose: MARKETING) { status } }`, { token: await tokenOf({ role: 'ADMIN', userId: admin.id }) });
    expect(bad.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('belongs to the person: nobody grants a user’s consent for them; only withdrawals are recorded for a contact by the DPO', async () => {
    const { rep, admin, untracked, otherContact } = cast();
    const ask = async (spec: CallerSpec, mutation: string) => (await t.query(`mutation { ${mutation} { status } }`, { token: await tokenOf(spec) })).body.errors?.[0]?.extensions?.code ?? 'OK';
    const historyLength = async () =>
      (await t.query(`{ consents(subject: { type: USER, id: "${untracked.id}" }) { history { purpose } } }`, { token: await tokenOf({ role: 'MEMBER', userId: untracked.id }) })).body.data.consents.history.length;
    const before = await historyLength();
    // An ADMIN or the DPO cannot give a user's location or partner-sharing consent, nor take it back for them.
    expect(await ask({ role: 'ADMIN', userId: admin.id }, `grantConsent(subject: { type: USER, id: "${untracked.id}" }, purpose: LOCATION_TRACKING, source: "web")`)).toBe('FORBIDDEN');
    expect(await ask({ role: 'DPO', userId: admin.id }, `grantConsent(subject: { type: USER, id: "${untracked.id}" }, purpose: PARTNER_SHARING, source: "web")`)).toBe('FORBIDDEN');
    expect(await ask({ role: 'ADMIN', userId: admin.id }, `withdrawConsent(subject: { type: USER, id: "${untracked.id}" }, purpose: MARKETING)`)).toBe('FORBIDDEN');
    // A user id that does not exist, or another tenant's, is refused the same way: nothing to learn, nothing stored.
    const foreign = t.demo.users.find((u) => u.tenantId !== tenant().id)!;
    expect(await ask({ role: 'ADMIN', userId: admin.id }, `grantConsent(subject: { type: USER, id: "${foreign.id}" }, purpose: MARKETING)`)).toBe('FORBIDDEN');
    expect(await historyLength()).toBe(before);
    // The DPO records a contact's withdrawal (it only restricts), never a grant.
    expect(await ask({ role: 'DPO', userId: admin.id }, `grantConsent(subject: { type: CONTACT, id: "${otherContact.id}" }, purpose: PARTNER_SHARING, source: "web")`)).toBe('FORBIDDEN');
    expect(await ask({ role: 'DPO', userId: admin.id }, `withdrawConsent(subject: { type: CONTACT, id: "${otherContact.id}" }, purpose: PARTNER_SHARING, source: "email")`)).toBe('OK');
    // A contact of another tenant, or none at all: NOT_FOUND; a grant for a contact must say how it was given.
    const foreignContact = t.demo.contacts.find((c) => c.tenantId !== tenant().id)!;
    expect(await ask({ role: 'ADMIN', userId: admin.id }, `grantConsent(subject: { type: CONTACT, id: "${foreignContact.id}" }, purpose: MARKETING, source: "web")`)).toBe('NOT_FOUND');
    expect(await ask({ role: 'ADMIN', userId: admin.id }, `grantConsent(subject: { type: CONTACT, id: "00000000-0000-4000-8000-000000000000" }, purpose: MARKETING, source: "web")`)).toBe('NOT_FOUND');
    expect(await ask({ role: 'ADMIN', userId: admin.id }, `grantConsent(subject: { type: CONTACT, id: "${otherContact.id}" }, purpose: MARKETING)`)).toBe('BAD_USER_INPUT');
    // A rep grants their own.
    expect(await ask({ role: 'MEMBER', userId: rep.id }, `grantConsent(subject: { type: USER, id: "${rep.id}" }, purpose: ANALYTICS)`)).toBe('OK');
  });

  it('reads consents of many subjects with one statement per subgraph per request', async () => {
    const { sqlStatistics } = await import('../../platform/database');
    const { admin } = cast();
    const token = await tokenOf({ role: 'ADMIN', userId: admin.id });
    const count = async (first: number) => {
      const before = sqlStatistics.statements;
      const res = await t.query(`{ users(first: ${first}) { nodes { lastLocation { latitude } } } }`, { token });
      expect(res.body.errors).toBeUndefined();
      return sqlStatistics.statements - before;
    };
    // One statement per distinct plan of the parents' lists (the caller's own pings; others'
    // with consent; none at all without), never one per row: 9 users cost what 3 do. A page of
    // users that reaches the tenant's expired account (its name withheld, listed after the
    // others) is read in two statements: one more, once, not one per row.
    const few = await count(3);
    const many = await count(9);
    expect(many).toBeLessThanOrEqual(few + 2);
    expect(many).toBeLessThanOrEqual(7);
  });
});
