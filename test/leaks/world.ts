/**
 * The leak suite's view of a running product: the seeded stack, the raw rows it was seeded with,
 * the consents in force now (kept in step with every grant and withdrawal the suite makes), and
 * requests as a given caller. Nothing here decides what a caller may see: that is oracle.ts.
 */
import type { UserRow } from '../../subgraphs/accounts/entities';
import type { CallLogRow } from '../../subgraphs/calls/entities';
import type { ContactRow } from '../../subgraphs/contacts/entities';
import type { LocationPingRow } from '../../subgraphs/location/entities';
import { ProcessingControlStore } from '../../privacy/store/controls';
import { startTestStack, type GraphQLResponse, type TestStack } from '../helpers/stack';
import type { ConsentPurpose, Facts, LeakCaller, Purpose, Role } from './oracle';

/** The fixed fast-check seed of the suite; LEAKS_SEED overrides it to replay or explore. */
export const LEAKS_SEED = Number(process.env.LEAKS_SEED ?? 20261125);
/** Scales every property's number of runs (LEAKS_RUNS=5 runs each five times as many cases). */
export const RUNS_FACTOR = Number(process.env.LEAKS_RUNS ?? 1);

export interface World extends Facts {
  t: TestStack;
  tenants: string[];
  users: UserRow[];
  contacts: ContactRow[];
  calls: CallLogRow[];
  pings: LocationPingRow[];
  userById: Map<string, UserRow>;
  contactById: Map<string, ContactRow>;
  /** Calls per user and per contact, pings per user, newest first. */
  callsOfUser: Map<string, CallLogRow[]>;
  callsOfContact: Map<string, CallLogRow[]>;
  pingsOfUser: Map<string, LocationPingRow[]>;
  /** Records a consent change through the API as the person (a user) or the contact's owner / an ADMIN. */
  setConsent(subject: { type: 'USER' | 'CONTACT'; id: string }, purpose: ConsentPurpose, granted: boolean): Promise<void>;
  /** Puts a restriction, or an objection to a purpose, in force for a person (or lifts it), as a completed rights request does. */
  setControl(subject: { type: 'USER' | 'CONTACT'; id: string }, control: 'RESTRICTION' | 'MARKETING' | 'ANALYTICS' | 'PARTNER_SHARING', inForce: boolean): Promise<void>;
  ask<T = any>(caller: LeakCaller, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** A caller of the given role in a tenant, as the dev personas make them. */
  callerOf(role: Role, tenantId: string, options?: { userId?: string; purpose?: Purpose; ticket?: boolean; partner?: string }): LeakCaller;
  close(): Promise<void>;
}

const groupNewestFirst = <T>(rows: T[], key: (r: T) => string | null, at: (r: T) => Date) => {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k) map.set(k, [...(map.get(k) ?? []), row]);
  }
  for (const list of map.values()) list.sort((a, b) => at(b).getTime() - at(a).getTime());
  return map;
};

export async function startWorld(): Promise<World> {
  const t = await startTestStack();
  const demo = t.demo;
  const consents = new Map<string, boolean>();
  for (const r of [...demo.consentRecords].sort((a, b) => a.sequence - b.sequence)) consents.set(`${r.subjectId}:${r.purpose}`, r.status === 'GRANTED');
  const userById = new Map(demo.users.map((u) => [u.id, u]));
  const contactById = new Map(demo.contacts.map((c) => [c.id, c]));
  const tokens = new Map<string, Promise<string>>();
  const controls = new Set<string>();
  const controlStore = new ProcessingControlStore(t.stack.stores.privacy);
  const tenantOf = (subject: { type: 'USER' | 'CONTACT'; id: string }) => (subject.type === 'USER' ? userById.get(subject.id)! : contactById.get(subject.id)!).tenantId;

  const world: World = {
    t,
    tenants: demo.tenants.map((x) => x.id),
    users: demo.users,
    contacts: demo.contacts,
    calls: demo.callLogs,
    pings: demo.locationPings,
    userById,
    contactById,
    callsOfUser: groupNewestFirst(demo.callLogs, (c) => c.userId, (c) => c.startedAt),
    callsOfContact: groupNewestFirst(demo.callLogs, (c) => c.contactId, (c) => c.startedAt),
    pingsOfUser: groupNewestFirst(demo.locationPings, (p) => p.userId, (p) => p.recordedAt),
    consented: (subjectId, purpose) => consents.get(`${subjectId}:${purpose}`) ?? false,
    restricted: (subjectId) => controls.has(`${subjectId}:RESTRICTION`),
    objects: (subjectId, purpose) => controls.has(`${subjectId}:${purpose}`),
    closedAccount: (userId) => userById.get(userId)?.status === 'CLOSED',

    setControl: async (subject, control, inForce) => {
      const kind = control === 'RESTRICTION' ? ({ kind: 'RESTRICTION' } as const) : ({ kind: 'OBJECTION', purpose: control } as const);
      if (inForce) await controlStore.set(tenantOf(subject), subject, kind, { requestId: null, recordedBy: 'leak-suite' });
      else await controlStore.lift(tenantOf(subject), subject, kind);
      if (inForce) controls.add(`${subject.id}:${control}`);
      else controls.delete(`${subject.id}:${control}`);
    },

    ask: async (caller, query, variables) => {
      const key = JSON.stringify([caller.tenantId, caller.role, caller.userId, caller.ticket, caller.partner?.clientId]);
      if (!tokens.has(key)) {
        const tenant = world.tenants.indexOf(caller.tenantId);
        const claims = {
          ...(caller.partner ? { partner: caller.partner.clientId } : {}),
          // Hours of validity: a run of the suite never outlives its tickets.
          ...(caller.ticket ? { ticket: { id: 'T-LEAKS', reason: 'Leak suite', expiresAt: new Date(Date.now() + 6 * 3600_000).toISOString() } } : {}),
        };
        tokens.set(key, t.tokenFor(caller.role, { tenant, user: caller.userId, claims }));
      }
      return t.query(query, { token: await tokens.get(key)!, variables, headers: { 'x-purpose': caller.purpose } });
    },

    callerOf: (role, tenantId, options = {}) => {
      const members = demo.users.filter((u) => u.tenantId === tenantId);
      const installation = demo.partnerInstallations.find((i) => i.tenantId === tenantId && i.clientId === options.partner && !i.uninstalledAt);
      const app = demo.partnerApps.find((a) => a.clientId === options.partner);
      const user = userById.get(options.userId ?? '') ?? (role === 'PARTNER' && installation ? userById.get(installation.installedBy)! : members[0]!);
      return {
        tenantId,
        role,
        userId: user.id,
        teamId: user.teamId,
        purpose: options.purpose ?? ({ SUPPORT: 'SUPPORT', PARTNER: 'PARTNER_SHARING', DPO: 'RIGHTS_REQUEST' } as Partial<Record<Role, Purpose>>)[role] ?? 'SERVICE',
        ticket: options.ticket ?? false,
        ...(role === 'PARTNER' && app
          ? { partner: { clientId: app.clientId, installed: Boolean(installation), scopes: (installation?.scopes ?? '').split(',').filter(Boolean), installedBy: installation?.installedBy ?? null } }
          : {}),
      };
    },

    setConsent: async (subject, purpose, granted) => {
      let recorder: LeakCaller;
      if (subject.type === 'USER') {
        const user = userById.get(subject.id)!;
        recorder = world.callerOf('MEMBER', user.tenantId, { userId: user.id });
      } else {
        const contact = contactById.get(subject.id)!;
        recorder = contact.ownerId ? world.callerOf('MEMBER', contact.tenantId, { userId: contact.ownerId }) : world.callerOf('ADMIN', contact.tenantId);
      }
      const mutation = granted ? 'grantConsent' : 'withdrawConsent';
      const res = await world.ask(recorder, `mutation($s: ConsentSubjectInput!, $p: ConsentPurpose!) { ${mutation}(subject: $s, purpose: $p, source: "leak-suite") { status } }`, {
        s: subject,
        p: purpose,
      });
      if (res.body.errors || res.body.data?.[mutation]?.status !== (granted ? 'GRANTED' : 'WITHDRAWN')) {
        throw new Error(`${mutation} ${purpose} for ${subject.type} ${subject.id} by its authorized recorder failed: ${JSON.stringify(res.body.errors ?? res.body.data)}`);
      }
      consents.set(`${subject.id}:${purpose}`, granted);
    },

    close: () => t.close(),
  };
  return world;
}
