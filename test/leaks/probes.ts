/**
 * How the leak suite reads the product: one row's personal fields with what the oracle expects of
 * each, the lists a caller can reach (paged through to the end), and an index of the personal
 * values and times of each tenant to look for where none may appear (cursors, errors).
 */
import fc from 'fast-check';
import type { GraphQLResponse } from '../helpers/stack';
import type { CallLogRow } from '../../subgraphs/calls/entities';
import type { ContactRow } from '../../subgraphs/contacts/entities';
import type { UserRow } from '../../subgraphs/accounts/entities';
import {
  CALL_FIELDS, CONTACT_FIELDS, PING_FIELDS, USER_FIELDS, callEffect, contactEffect, linkShown, pingEffect, refusal, userEffect,
  type Effect, type LeakCaller,
} from './oracle';
import { describeCaller } from './arbitraries';
import type { ValueKind } from './shapes';
import { LEAKS_SEED, RUNS_FACTOR, type World } from './world';

/** Runs a property with the suite's seed; a failure names the seed to replay it with. */
export async function check<T>(name: string, arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, runs: number): Promise<void> {
  const numRuns = Math.max(1, Math.round(runs * RUNS_FACTOR));
  if (process.env.LEAKS_SURVEY) {
    // Survey mode: run every case and list each one that leaks, rather than stop at the first.
    const failures: string[] = [];
    const survey = async (value: T) => predicate(value).catch((error: Error) => void failures.push(error.message));
    await fc.assert(fc.asyncProperty(arb, survey), { seed: LEAKS_SEED, numRuns });
    if (failures.length) throw new Error(`[leak property: ${name}] ${failures.length} of ${numRuns} cases fail (LEAKS_SEED=${LEAKS_SEED})\n\n${failures.join('\n\n')}`);
    return;
  }
  // Shrinking replays failing cases against a live stack: opt in with LEAKS_SHRINK=1.
  await fc.assert(fc.asyncProperty(arb, predicate), { seed: LEAKS_SEED, numRuns, endOnFailure: !process.env.LEAKS_SHRINK }).catch((error: Error) => {
    // fast-check keeps the predicate's own error (what leaked, how) as the cause.
    const cause = error.cause instanceof Error ? `\n${error.cause.message}` : '';
    throw new Error(`[leak property: ${name}] replay with LEAKS_SEED=${LEAKS_SEED}\n${error.message.replace(/\n\nHint: .*$/s, '')}${cause}`);
  });
}

export type RowKind = 'User' | 'Contact' | 'CallLog' | 'Ping';

export const FIELD_KINDS: Record<RowKind, Record<string, ValueKind>> = {
  User: { name: 'name', email: 'email', phone: 'phone', title: 'text', timezone: 'text', language: 'text' },
  Contact: { name: 'name', email: 'email', phone: 'phone', company: 'text', address: 'address', birthDate: 'birthDate', lastSpokenAt: 'date' },
  CallLog: { direction: 'enum', startedAt: 'date', durationSeconds: 'duration', disposition: 'enum', counterpartyNumber: 'phone', notes: 'notes', recordingUrl: 'recording' },
  Ping: { latitude: 'coordinate', longitude: 'coordinate', accuracyMeters: 'accuracy', recordedAt: 'locationDate' },
};

export interface Observation {
  field: string;
  kind: ValueKind;
  effect: Effect;
  raw: unknown;
  got: unknown;
}

export interface LinkObservation {
  field: string;
  expected: string | null;
  got: string | null;
}

export interface RowReading {
  query: string;
  res: GraphQLResponse;
  observations: Observation[];
  links: LinkObservation[];
}

/**
 * Reads every personal field of one row (for `Ping`: the user's last location) as the caller and
 * pairs each answer with the raw value and the oracle's effect.
 */
export async function readRow(world: World, caller: LeakCaller, kind: RowKind, id: string): Promise<RowReading> {
  const observations: Observation[] = [];
  const links: LinkObservation[] = [];
  const observe = (field: string, effect: Effect, raw: unknown, got: unknown) => observations.push({ field, kind: FIELD_KINDS[kind][field]!, effect, raw, got });
  let query: string;
  let res: GraphQLResponse;
  switch (kind) {
    case 'User': {
      query = `query($id: ID!) { user(id: $id) { id ${USER_FIELDS.join(' ')} } }`;
      res = await world.ask(caller, query, { id });
      const user = world.userById.get(id)!;
      for (const f of USER_FIELDS) observe(f, userEffect(caller, user, f, world), user[f], res.body.data?.user?.[f] ?? null);
      break;
    }
    case 'Contact': {
      query = `query($id: ID!) { contact(id: $id) { id ${CONTACT_FIELDS.join(' ')} } }`;
      res = await world.ask(caller, query, { id });
      const contact = world.contactById.get(id)!;
      for (const f of CONTACT_FIELDS) observe(f, contactEffect(caller, contact, f, world), contact[f], res.body.data?.contact?.[f] ?? null);
      break;
    }
    case 'CallLog': {
      query = `query($id: ID!) { callLog(id: $id) { id ${CALL_FIELDS.join(' ')} user { id } contact { id } } }`;
      res = await world.ask(caller, query, { id });
      const call = world.calls.find((c) => c.id === id)!;
      const answered = res.body.data?.callLog;
      for (const f of CALL_FIELDS) observe(f, callEffect(caller, call, f, world), call[f], answered?.[f] ?? null);
      links.push({ field: 'CallLog.user', expected: linkShown(callEffect(caller, call, 'user', world)) ? call.userId : null, got: answered?.user?.id ?? null });
      links.push({ field: 'CallLog.contact', expected: call.contactId && linkShown(callEffect(caller, call, 'contact', world)) ? call.contactId : null, got: answered?.contact?.id ?? null });
      break;
    }
    case 'Ping': {
      query = `query($id: ID!) { user(id: $id) { id lastLocation { ${PING_FIELDS.join(' ')} } } }`;
      res = await world.ask(caller, query, { id });
      // The newest ping as the caller can order them: exactly when it sees times in full; otherwise
      // within the newest hour it sees, in id order (the minutes it cannot see must not decide).
      const pings = world.pingsOfUser.get(id) ?? [];
      const exact = pings[0] !== undefined && pingEffect(caller, pings[0], 'recordedAt', world) === 'FULL';
      const hourOf = (p: { recordedAt: Date }) => Math.floor(p.recordedAt.getTime() / 3_600_000);
      const newest = exact ? pings[0] : pings.filter((p) => pings[0] && hourOf(p) === hourOf(pings[0])).sort((a, b) => (a.id < b.id ? 1 : -1))[0];
      const last = res.body.data?.user?.lastLocation ?? null;
      const shown = newest !== undefined && linkShown(pingEffect(caller, newest, 'latitude', world));
      links.push({ field: 'User.lastLocation', expected: shown ? 'a ping' : null, got: last ? 'a ping' : null });
      if (newest && shown) for (const f of PING_FIELDS) observe(f, pingEffect(caller, newest, f, world), newest[f], last?.[f] ?? null);
      break;
    }
  }
  return { query, res, observations, links };
}

/** The errors of a response, or of a refused request the code it must carry. */
export function requestProblems(caller: LeakCaller, res: GraphQLResponse): string[] {
  const refused = refusal(caller);
  const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
  if (refused) return codes.includes(refused) ? [] : [`expected the request refused with ${refused}, got ${JSON.stringify(res.body.errors ?? 'no error')}`];
  return res.body.errors ? [`unexpected errors ${JSON.stringify(res.body.errors)}`] : [];
}

/* ------------------------------------------------------------------------------------- lists */

export type ListName = 'users' | 'contacts' | 'geofences' | 'teamMembers' | 'userContacts' | 'userCalls' | 'contactCalls' | 'userLocations';

export interface ListSpec {
  name: ListName;
  label: string;
  query: string;
  variables: Record<string, unknown>;
  connection(data: any): { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: any[] } | null | undefined;
}

const CONNECTION = (nodes: string) => `totalCount pageInfo { hasNextPage endCursor } nodes { ${nodes} }`;
const PAGE_ARGS = 'first: $first, after: $after';

/** A list the caller can reach; `id` is the user or contact it hangs under, `nodes` the selection. */
export function listSpec(name: ListName, id: string, nodes: string, extra: { search?: string; from?: string; to?: string } = {}): ListSpec {
  const range = extra.from !== undefined || extra.to !== undefined;
  switch (name) {
    case 'users':
      return { name, label: 'users', query: `query($first: Int!, $after: String) { users(${PAGE_ARGS}) { ${CONNECTION(nodes)} } }`, variables: {}, connection: (d) => d?.users };
    case 'contacts':
      return extra.search !== undefined
        ? {
            name, label: `contacts(search: ${JSON.stringify(extra.search)})`,
            query: `query($first: Int!, $after: String, $search: String) { contacts(${PAGE_ARGS}, search: $search) { ${CONNECTION(nodes)} } }`,
            variables: { search: extra.search }, connection: (d) => d?.contacts,
          }
        : { name, label: 'contacts', query: `query($first: Int!, $after: String) { contacts(${PAGE_ARGS}) { ${CONNECTION(nodes)} } }`, variables: {}, connection: (d) => d?.contacts };
    case 'geofences':
      return { name, label: 'geofences', query: `query($first: Int!, $after: String) { geofences(${PAGE_ARGS}) { ${CONNECTION(nodes)} } }`, variables: {}, connection: (d) => d?.geofences };
    case 'teamMembers':
      return { name, label: `user(${id}).team.members`, query: `query($first: Int!, $after: String, $id: ID!) { user(id: $id) { team { members(${PAGE_ARGS}) { ${CONNECTION(nodes)} } } } }`, variables: { id }, connection: (d) => d?.user?.team?.members };
    case 'userContacts':
      return { name, label: `user(${id}).contacts`, query: `query($first: Int!, $after: String, $id: ID!) { user(id: $id) { contacts(${PAGE_ARGS}) { ${CONNECTION(nodes)} } } }`, variables: { id }, connection: (d) => d?.user?.contacts };
    case 'contactCalls':
      return { name, label: `contact(${id}).calls`, query: `query($first: Int!, $after: String, $id: ID!) { contact(id: $id) { calls(${PAGE_ARGS}) { ${CONNECTION(nodes)} } } }`, variables: { id }, connection: (d) => d?.contact?.calls };
    case 'userCalls':
    case 'userLocations': {
      const field = name === 'userCalls' ? 'calls' : 'locations';
      return {
        name,
        label: `user(${id}).${field}${range ? `(from: ${extra.from}, to: ${extra.to})` : ''}`,
        query: `query($first: Int!, $after: String, $id: ID!${range ? ', $from: DateTime, $to: DateTime' : ''}) { user(id: $id) { ${field}(${PAGE_ARGS}${range ? ', from: $from, to: $to' : ''}) { ${CONNECTION(nodes)} } } }`,
        variables: { id, ...(range ? { from: extra.from, to: extra.to } : {}) },
        connection: (d) => d?.user?.[field],
      };
    }
  }
}

export interface Paged {
  nodes: any[];
  totalCount: number | null;
  cursors: string[];
  problems: string[];
  /** The list's parent (user, contact) was not there: another tenant's or unknown. */
  absent: boolean;
}

/** Pages through a list to its end (first: 100), checking that totalCount is what can be paged through. */
export async function pageAll(world: World, caller: LeakCaller, list: ListSpec, maxPages = 5): Promise<Paged> {
  const out: Paged = { nodes: [], totalCount: null, cursors: [], problems: [], absent: false };
  let after: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const res = await world.ask(caller, list.query, { ...list.variables, first: 100, after });
    const problems = requestProblems(caller, res);
    if (problems.length || refusal(caller)) {
      out.problems.push(...problems.map((p) => `${list.label}: ${p}`));
      return out;
    }
    const connection = list.connection(res.body.data);
    if (!connection) {
      out.absent = true;
      return out;
    }
    out.nodes.push(...connection.nodes);
    if (out.totalCount !== null && out.totalCount !== connection.totalCount) out.problems.push(`${list.label}: totalCount changed between pages (${out.totalCount} then ${connection.totalCount})`);
    out.totalCount = connection.totalCount;
    if (connection.pageInfo.endCursor) out.cursors.push(connection.pageInfo.endCursor);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  if (out.totalCount !== out.nodes.length) out.problems.push(`${list.label}: totalCount ${out.totalCount} but ${out.nodes.length} rows can be paged through`);
  return out;
}

/* ------------------------------------------------------------------- personal values by tenant */

export interface PersonalIndex {
  /** Names, emails, phones (with and without '+'), companies, addresses of a tenant's people. */
  strings: string[];
  /** Epoch milliseconds of the tenant's call, ping and last-spoken times. */
  times: Set<number>;
}

export function personalIndex(world: World, tenantId: string): PersonalIndex {
  const strings = new Set<string>();
  const add = (v: string | null | undefined) => {
    if (v && v.length >= 4) strings.add(v.toLowerCase());
  };
  for (const u of world.users.filter((x) => x.tenantId === tenantId)) [u.name, u.email, u.phone, u.phone?.replace(/\D/g, '')].forEach(add);
  for (const c of world.contacts.filter((x) => x.tenantId === tenantId)) [c.name, c.email, c.phone, c.phone?.replace(/\D/g, ''), c.company, c.address].forEach(add);
  for (const c of world.calls.filter((x) => x.tenantId === tenantId)) add(c.counterpartyNumber?.replace(/\D/g, ''));
  const times = new Set<number>();
  for (const c of world.calls) if (c.tenantId === tenantId) times.add(c.startedAt.getTime());
  for (const p of world.pings) if (p.tenantId === tenantId) times.add(p.recordedAt.getTime());
  for (const c of world.contacts) if (c.tenantId === tenantId && c.lastSpokenAt) times.add(c.lastSpokenAt.getTime());
  return { strings: [...strings], times };
}

/** Personal values or times of the index found in a text (a decoded cursor, an error). */
export function personalValuesIn(text: string, index: PersonalIndex): string[] {
  const lower = text.toLowerCase();
  const found: string[] = index.strings.filter((s) => lower.includes(s));
  for (const m of text.matchAll(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z?/g)) {
    const iso = m[0].replace(' ', 'T');
    const at = Date.parse(/Z$/.test(iso) ? iso : `${iso}Z`);
    if (index.times.has(at)) found.push(`time ${m[0]}`);
  }
  for (const m of text.matchAll(/\d{10,13}/g)) {
    const n = Number(m[0]);
    if (index.times.has(n) || index.times.has(n * 1000)) found.push(`epoch ${m[0]}`);
  }
  return found;
}

/** Every way a client could try to read a cursor: as it is, base64 and base64url, and JSON within. */
export function cursorDecodings(cursor: string): string[] {
  const out = [cursor];
  for (const encoding of ['base64', 'base64url'] as const) {
    const text = Buffer.from(cursor, encoding).toString('utf8');
    out.push(text, Buffer.from(cursor, encoding).toString('latin1'));
    try {
      out.push(JSON.stringify(JSON.parse(text)));
    } catch {
      // not JSON: the text itself was already kept
    }
  }
  return out;
}

/* ------------------------------------------------------------------------------- raw rows */

export const callsOf = (world: World, list: 'userCalls' | 'contactCalls', id: string): CallLogRow[] =>
  (list === 'userCalls' ? world.callsOfUser.get(id) : world.callsOfContact.get(id)) ?? [];

export const rowLabel = (kind: RowKind, row: UserRow | ContactRow | CallLogRow | { id: string }) => {
  const r = row as Partial<UserRow & ContactRow & CallLogRow>;
  if (kind === 'CallLog') return `CallLog ${r.id} (user ${r.userId?.slice(0, 8)}, contact ${r.contactId?.slice(0, 8) ?? '-'})`;
  if (kind === 'Ping') return `pings of User ${r.id}`;
  return `${kind} ${r.id} (${r.name})`;
};

export const who = describeCaller;
