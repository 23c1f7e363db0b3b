import { createHash } from 'node:crypto';
import { request } from 'undici';
import type { DataSource } from 'typeorm';
import { DEV_INTERNAL_SECRET } from '../../platform/env';
import { callRights, RightsCallError, signRightsBody } from '../../privacy/rights/client';
import { RIGHTS_PATH, RIGHTS_SIGNATURE_HEADER, type ErasureCounts, type PersonRef, type RightsCall } from '../../privacy/rights/contract';
import type { ContactRow } from '../../subgraphs/contacts/entities';
import type { UserRow } from '../../subgraphs/accounts/entities';
import { DATA_SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/shared/subgraph';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let user: UserRow;
let contact: ContactRow;
let tenantId: string;

const rights = <C extends RightsCall>(name: SubgraphName, call: C) => callRights(t.stack.subgraphs[name].url, DEV_INTERNAL_SECRET, call);
const USER = (): PersonRef => ({ type: 'USER', id: user.id });
const CONTACT = (): PersonRef => ({ type: 'CONTACT', id: contact.id });

/** Raw SQL on one subgraph's store, identifiers quoted for its dialect: the oracle never goes through the code under test. */
async function sql<T = Record<string, unknown>>(name: SubgraphName, text: string, params: unknown[] = []): Promise<T[]> {
  const store: DataSource = t.stack.stores[name];
  return store.query(text.replace(/`(\w+)`/g, (_, id: string) => store.driver.escape(id)), params);
}
const ids = async (name: SubgraphName, text: string, params: unknown[]) => (await sql<{ id: string }>(name, text, params)).map((row) => row.id).sort();
const count = async (name: SubgraphName, text: string, params: unknown[]) => Number(Object.values((await sql(name, text, params))[0]!)[0]);

/** Every entity of every subgraph, as each describes itself. */
async function entities(): Promise<[SubgraphName, string][]> {
  const all: [SubgraphName, string][] = [];
  for (const name of DATA_SUBGRAPH_NAMES) for (const entity of (await rights(name, { op: 'describe' })).entities) all.push([name, entity.entity]);
  return all;
}

async function exportAll(name: SubgraphName, entity: string, subject: PersonRef, limit = 7): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const page: { rows: Record<string, unknown>[]; next: string | null } = await rights(name, { op: 'export', tenantId, subject, entity, cursor, limit });
    rows.push(...page.rows);
    cursor = page.next;
  } while (cursor);
  return rows;
}

/** Erases one entity page by page; `stopAfter` pages only, to stand for a worker killed midway. */
async function erase(name: SubgraphName, entity: string, subject: PersonRef, limit: number, stopAfter = Infinity): Promise<ErasureCounts> {
  const total: ErasureCounts = { entity, deleted: 0, anonymized: 0, unlinked: 0, values: 0, objects: 0 };
  let cursor: string | null = null;
  for (let pages = 0; pages < stopAfter; pages += 1) {
    const { counts, next }: { counts: ErasureCounts; next: string | null } = await rights(name, { op: 'erase', tenantId, subject, entity, cursor, limit });
    for (const key of ['deleted', 'anonymized', 'unlinked', 'values', 'objects'] as const) total[key] = (total[key] ?? 0) + (counts[key] ?? 0);
    cursor = next;
    if (!cursor) break;
  }
  return total;
}

async function dryRun(subject: PersonRef): Promise<Map<string, ErasureCounts>> {
  const all = new Map<string, ErasureCounts>();
  for (const name of DATA_SUBGRAPH_NAMES) for (const counts of (await rights(name, { op: 'dryRun', tenantId, subject })).entities) all.set(`${name}:${counts.entity}`, counts);
  return all;
}

async function fingerprints(subject: PersonRef): Promise<string[]> {
  const all = new Set<string>();
  for (const name of DATA_SUBGRAPH_NAMES) for (const fp of (await rights(name, { op: 'fingerprints', tenantId, subject })).fingerprints) all.add(fp);
  return [...all];
}

async function sweep(list: string[]): Promise<{ subgraph: string; entity: string; column: string; rows: number }[]> {
  const residue = [];
  for (const name of DATA_SUBGRAPH_NAMES) for (const hit of (await rights(name, { op: 'sweep', tenantId, fingerprints: list })).residue) residue.push({ subgraph: name, ...hit });
  return residue;
}

/** A digest of every row of every table of the tenant: the end state. */
async function snapshot(): Promise<string> {
  const hash = createHash('sha256');
  const tables: [SubgraphName, string][] = [['accounts', 'users'], ['accounts', 'user_counts'], ['contacts', 'contacts'], ['contacts', 'contact_counts'], ['calls', 'call_logs'], ['calls', 'recording_deletions'], ['location', 'location_pings'], ['location', 'geofences'], ['location', 'geofence_counts']];
  for (const [name, table] of tables) {
    const rows = await sql(name, `SELECT * FROM \`${table}\` WHERE \`tenantId\` = ?`, [tenantId]);
    const stable = rows.map((row) => JSON.stringify(Object.entries(row).filter(([column]) => column !== 'id' || table !== 'recording_deletions').filter(([column]) => column !== 'requestedAt').sort()));
    hash.update(`${table}:${stable.sort().join('\n')}\n`);
  }
  return hash.digest('hex');
}

beforeAll(async () => {
  t = await startTestStack();
  tenantId = t.demo.tenants[0]!.id;
  const users = t.demo.users.filter((u) => u.tenantId === tenantId);
  const contacts = t.demo.contacts.filter((c) => c.tenantId === tenantId);
  const fences = t.demo.geofences.filter((g) => g.tenantId === tenantId);
  const calls = t.demo.callLogs.filter((c) => c.tenantId === tenantId);
  const names = [...users.map((u) => u.name), ...contacts.map((c) => c.name)];
  const unique = (name: string) => names.filter((n) => n.toLowerCase() === name.toLowerCase()).length === 1;
  // People whose values no one else shares, so the residue sweep's finds are theirs alone.
  user = users.find((u) => unique(u.name) && contacts.some((c) => c.ownerId === u.id) && calls.some((c) => c.userId === u.id && c.recordingUrl))!;
  contact = contacts.find(
    (c) =>
      c.email && c.phone && unique(c.name) && c.ownerId !== user.id &&
      contacts.filter((o) => o.address === c.address).length === 1 &&
      fences.some((g) => g.contactId === c.id && fences.filter((o) => o.name === g.name).length === 1) &&
      calls.some((call) => call.contactId === c.id && call.recordingUrl && call.userId !== user.id),
  )!;
  expect(user).toBeDefined();
  expect(contact).toBeDefined();
});
afterAll(() => t.close());

describe('rights contract: describe, verify, export', () => {
  it('describes every entity with personal data, in erasure order, with what erasure keeps and why', async () => {
    const calls = await rights('calls', { op: 'describe' });
    expect(calls.entities).toEqual([expect.objectContaining({ entity: 'CallLog', erase: 'ANONYMIZE', persons: ['USER', 'CONTACT'], keptBecause: expect.stringContaining('LEGAL_OBLIGATION') })]);
    expect(await entities()).toEqual([['accounts', 'User'], ['contacts', 'Contact'], ['calls', 'CallLog'], ['location', 'LocationPing'], ['location', 'Geofence']]);
    expect((await rights('contacts', { op: 'describe' })).entities[0]!.rectifiable).toEqual(['name', 'email', 'phone', 'company', 'address', 'birthDate']);
  });

  it('verifies claimed data points against what is held: email case-insensitively, phone normalized', async () => {
    const spaced = `${contact.phone!.slice(0, 3)} ${contact.phone!.slice(3, 7)}-${contact.phone!.slice(7)}`;
    const claims = { email: contact.email!.toUpperCase(), phone: spaced, name: 'Somebody Else' };
    expect(await rights('contacts', { op: 'verify', tenantId, subject: CONTACT(), claims })).toEqual({ matched: ['email', 'phone'], found: true });
    expect(await rights('accounts', { op: 'verify', tenantId, subject: USER(), claims: { name: ` ${user.name.toLowerCase()} `, phone: '+10000000000' } })).toEqual({ matched: ['name'], found: true });
    // Another tenant's person is not found, and nothing matches.
    expect(await rights('contacts', { op: 'verify', tenantId: t.demo.tenants[1]!.id, subject: CONTACT(), claims })).toEqual({ matched: [], found: false });
  });

  it.each(['USER', 'CONTACT'] as const)('exports every row of a seeded %s in every table, every inventoried column, in key order', async (type) => {
    const subject = type === 'USER' ? USER() : CONTACT();
    // The oracle: the rows of each table about the person, or with the person as the other party, counted in SQL.
    const expected: Record<string, string[]> =
      type === 'USER'
        ? {
            'accounts:User': await ids('accounts', 'SELECT `id` FROM `users` WHERE `tenantId` = ? AND `id` = ?', [tenantId, user.id]),
            'contacts:Contact': [],
            'calls:CallLog': await ids('calls', 'SELECT `id` FROM `call_logs` WHERE `tenantId` = ? AND `userId` = ?', [tenantId, user.id]),
            'location:LocationPing': await ids('location', 'SELECT `id` FROM `location_pings` WHERE `tenantId` = ? AND `userId` = ?', [tenantId, user.id]),
            'location:Geofence': [],
          }
        : {
            'accounts:User': [],
            'contacts:Contact': await ids('contacts', 'SELECT `id` FROM `contacts` WHERE `tenantId` = ? AND `id` = ?', [tenantId, contact.id]),
            'calls:CallLog': await ids('calls', 'SELECT `id` FROM `call_logs` WHERE `tenantId` = ? AND `contactId` = ?', [tenantId, contact.id]),
            'location:LocationPing': [],
            'location:Geofence': await ids('location', 'SELECT `id` FROM `geofences` WHERE `tenantId` = ? AND `contactId` = ?', [tenantId, contact.id]),
          };
    expect(Object.values(expected).flat().length).toBeGreaterThan(3);
    for (const [name, entity] of await entities()) {
      const rows = await exportAll(name, entity, subject);
      const exported = rows.map((row) => String(row.id));
      expect([name, entity, exported]).toEqual([name, entity, [...exported].sort()]);
      expect([name, entity, [...exported].sort()]).toEqual([name, entity, expected[`${name}:${entity}`]]);
    }
    const [profile] = await exportAll(type === 'USER' ? 'accounts' : 'contacts', type === 'USER' ? 'User' : 'Contact', subject);
    const seeded = (type === 'USER' ? user : contact) as unknown as Record<string, unknown>;
    for (const [column, value] of Object.entries(seeded)) expect([column, profile![column]]).toEqual([column, value instanceof Date ? value.toISOString() : value]);
  });

  it('refuses an entity the subgraph does not hold and a cursor it did not give', async () => {
    await expect(rights('calls', { op: 'export', tenantId, subject: USER(), entity: 'Contact', cursor: null, limit: 10 })).rejects.toMatchObject({ status: 404, code: 'UNKNOWN_ENTITY' });
    await expect(rights('calls', { op: 'export', tenantId, subject: USER(), entity: 'CallLog', cursor: '!!', limit: 10 })).rejects.toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });
});

describe('rights contract: rectify', () => {
  it('corrects rectifiable fields and answers keyed hashes, never values', async () => {
    const before = await fingerprints(CONTACT());
    const answer = await rights('contacts', { op: 'rectify', tenantId, subject: CONTACT(), fields: { company: 'Rectified Holdings', phone: contact.phone!.replace(/^(\+\d{2})/, '$1 ') } });
    expect(JSON.stringify(answer)).not.toContain('Rectified');
    expect(answer.changed.map((c) => c.column)).toEqual(['company', 'phone']);
    const phone = answer.changed[1]!;
    // The phone was written bare: the same value, so the same keyed hash, one the fingerprints held.
    expect(phone.afterHash).toBe(phone.beforeHash);
    expect(before).toContain(phone.beforeHash);
    const company = answer.changed[0]!;
    expect(company.afterHash).not.toBe(company.beforeHash);
    expect(company.afterHash).toMatch(/^fp_[A-Za-z0-9_-]{43}$/);
    const [row] = await sql<{ company: string; phone: string }>('contacts', 'SELECT `company`, `phone` FROM `contacts` WHERE `id` = ?', [contact.id]);
    expect(row).toEqual({ company: 'Rectified Holdings', phone: contact.phone });
    await rights('contacts', { op: 'rectify', tenantId, subject: CONTACT(), fields: { company: contact.company } });
  });

  it.each([
    ['an unknown field', { nickname: 'x' }, 400],
    ['a field that is not rectifiable', { stage: 'CUSTOMER' }, 400],
    ['the link to the owner', { ownerId: null }, 400],
    ['a phone number not in E.164', { phone: '12345' }, 400],
    ['an empty required name', { name: null }, 400],
    ['no field at all', {}, 400],
  ])('refuses %s with BAD_REQUEST and changes nothing', async (_case, fields, status) => {
    const state = await snapshot();
    await expect(rights('contacts', { op: 'rectify', tenantId, subject: CONTACT(), fields: fields as Record<string, string | null> })).rejects.toMatchObject({ status, code: 'BAD_REQUEST' });
    expect(await snapshot()).toBe(state);
  });

  it('refuses a person it does not hold with NOT_FOUND, and a value another user already has with BAD_REQUEST', async () => {
    await expect(rights('contacts', { op: 'rectify', tenantId: t.demo.tenants[1]!.id, subject: CONTACT(), fields: { name: 'X' } })).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const other = t.demo.users.find((u) => u.tenantId === tenantId && u.id !== user.id)!;
    await expect(rights('accounts', { op: 'rectify', tenantId, subject: USER(), fields: { email: other.email } })).rejects.toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });
});

describe('rights contract: erasure', () => {
  it('erases a user: own rows deleted, calls kept anonymized, owned contacts unlinked; dry run equals what erasure does; resumable and idempotent', async () => {
    const owned = await ids('contacts', 'SELECT `id` FROM `contacts` WHERE `tenantId` = ? AND `ownerId` = ?', [tenantId, user.id]);
    const callIds = await ids('calls', 'SELECT `id` FROM `call_logs` WHERE `tenantId` = ? AND `userId` = ?', [tenantId, user.id]);
    const recordings = await count('calls', 'SELECT COUNT(*) AS n FROM `call_logs` WHERE `userId` = ? AND `recordingUrl` IS NOT NULL', [user.id]);
    expect(owned.length).toBeGreaterThan(0);
    expect(callIds.length).toBeGreaterThan(20);
    const list = await fingerprints(USER());
    expect(list.length).toBe(3);
    // Control: before erasure the sweep finds the user's values.
    expect((await sweep(list)).map((hit) => `${hit.entity}.${hit.column}`).sort()).toEqual(['User.email', 'User.name', 'User.phone']);

    const planned = await dryRun(USER());
    expect(planned.get('accounts:User')).toMatchObject({ deleted: 1, anonymized: 0 });
    expect(planned.get('contacts:Contact')).toMatchObject({ deleted: 0, unlinked: owned.length, values: 2 * owned.length });
    expect(planned.get('calls:CallLog')).toMatchObject({ deleted: 0, anonymized: callIds.length, objects: recordings });

    // A worker stopped after two pages of calls, then the whole erasure run from the start.
    const done = new Map<string, ErasureCounts>();
    const partial = await erase('calls', 'CallLog', USER(), 10, 2);
    expect(partial.anonymized).toBe(20);
    for (const [name, entity] of await entities()) {
      const counts = await erase(name, entity, USER(), 10);
      if (entity === 'CallLog') for (const key of ['anonymized', 'values', 'objects'] as const) counts[key] += partial[key];
      done.set(`${name}:${entity}`, counts);
    }
    expect(done).toEqual(planned);
    const end = await snapshot();

    // Run again from the start: nothing more to do, nothing changes.
    for (const [name, entity] of await entities()) expect(await erase(name, entity, USER(), 10)).toMatchObject({ deleted: 0, anonymized: 0, unlinked: 0, values: 0, objects: 0 });
    expect(await snapshot()).toBe(end);
    for (const counts of (await dryRun(USER())).values()) expect(counts).toMatchObject({ deleted: 0, anonymized: 0, unlinked: 0, values: 0, objects: 0 });

    // What stays: the calls, only anonymized, under one pseudonym; the contacts, without owner or team.
    expect(await count('accounts', 'SELECT COUNT(*) AS n FROM `users` WHERE `id` = ?', [user.id])).toBe(0);
    expect(await count('location', 'SELECT COUNT(*) AS n FROM `location_pings` WHERE `userId` = ?', [user.id])).toBe(0);
    const kept = await sql<{ userId: string; counterpartyNumber: unknown; notes: unknown; recordingUrl: unknown; startedAt: unknown }>(
      'calls', `SELECT \`userId\`, \`counterpartyNumber\`, \`notes\`, \`recordingUrl\`, \`startedAt\` FROM \`call_logs\` WHERE \`id\` IN (${callIds.map(() => '?').join(',')})`, callIds);
    expect(kept).toHaveLength(callIds.length);
    expect(new Set(kept.map((row) => row.userId)).size).toBe(1);
    expect(kept[0]!.userId).toMatch(/^person_/);
    for (const row of kept) expect([row.counterpartyNumber, row.notes, row.recordingUrl, row.startedAt === null]).toEqual([null, null, null, false]);
    const unlinked = await sql<{ ownerId: unknown; teamId: unknown }>('contacts', `SELECT \`ownerId\`, \`teamId\` FROM \`contacts\` WHERE \`id\` IN (${owned.map(() => '?').join(',')})`, owned);
    expect(unlinked).toEqual(owned.map(() => ({ ownerId: null, teamId: null })));
    expect(await count('calls', 'SELECT COUNT(*) AS n FROM `recording_deletions` WHERE `tenantId` = ?', [tenantId])).toBe(recordings);

    // The counters behind totalCount follow the deleted rows.
    expect(await count('accounts', 'SELECT `total` FROM `user_counts` WHERE `tenantId` = ?', [tenantId])).toBe(await count('accounts', 'SELECT COUNT(*) AS n FROM `users` WHERE `tenantId` = ?', [tenantId]));
    // The residue sweep with the fingerprints taken before erasure finds nothing.
    expect(await sweep(list)).toEqual([]);
  });

  it('erases a contact: its row and sites deleted, its calls kept anonymized under a pseudonym; the sweep finds nothing', async () => {
    const callIds = await ids('calls', 'SELECT `id` FROM `call_logs` WHERE `tenantId` = ? AND `contactId` = ?', [tenantId, contact.id]);
    const fences = await ids('location', 'SELECT `id` FROM `geofences` WHERE `tenantId` = ? AND `contactId` = ?', [tenantId, contact.id]);
    expect(fences.length).toBeGreaterThan(0);
    const list = await fingerprints(CONTACT());
    // name, email, phone, address; the geofence's name (the call numbers are the same phone).
    expect(list.length).toBe(5);
    const before = (await sweep(list)).map((hit) => `${hit.entity}.${hit.column}`).sort();
    expect(before).toEqual(['CallLog.counterpartyNumber', 'Contact.address', 'Contact.email', 'Contact.name', 'Contact.phone', 'Geofence.name']);

    const planned = await dryRun(CONTACT());
    expect(planned.get('contacts:Contact')).toMatchObject({ deleted: 1 });
    expect(planned.get('location:Geofence')).toMatchObject({ deleted: fences.length });
    expect(planned.get('calls:CallLog')).toMatchObject({ anonymized: callIds.length });
    const done = new Map<string, ErasureCounts>();
    for (const [name, entity] of await entities()) done.set(`${name}:${entity}`, await erase(name, entity, CONTACT(), 3));
    expect(done).toEqual(planned);

    expect(await count('contacts', 'SELECT COUNT(*) AS n FROM `contacts` WHERE `id` = ?', [contact.id])).toBe(0);
    expect(await count('location', 'SELECT COUNT(*) AS n FROM `geofences` WHERE `contactId` = ?', [contact.id])).toBe(0);
    const kept = await sql<{ contactId: string; counterpartyNumber: unknown }>('calls', `SELECT \`contactId\`, \`counterpartyNumber\` FROM \`call_logs\` WHERE \`id\` IN (${callIds.map(() => '?').join(',')})`, callIds);
    expect(kept).toHaveLength(callIds.length);
    expect(new Set(kept.map((row) => row.contactId))).toEqual(new Set([expect.stringMatching(/^person_/)]));
    for (const [table, counter] of [['contacts', 'contact_counts'], ['geofences', 'geofence_counts']] as const) {
      const name: SubgraphName = table === 'contacts' ? 'contacts' : 'location';
      expect(await count(name, `SELECT \`total\` FROM \`${counter}\` WHERE \`tenantId\` = ?`, [tenantId])).toBe(await count(name, `SELECT COUNT(*) AS n FROM \`${table}\` WHERE \`tenantId\` = ?`, [tenantId]));
    }
    expect(await sweep(list)).toEqual([]);

  });
});

describe('rights endpoint', () => {
  const url = () => new URL(RIGHTS_PATH, t.stack.subgraphs.contacts.url).toString();
  const post = async (body: string, signature?: string) => {
    const res = await request(url(), { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { [RIGHTS_SIGNATURE_HEADER]: signature } : {}) }, body });
    return { status: res.statusCode, body: (await res.body.json()) as { error?: { code: string; message: string } } };
  };
  const describeCall = JSON.stringify({ op: 'describe' });

  it.each([
    ['missing', undefined],
    ['wrong', signRightsBody('not-the-internal-secret-but-long-enough', describeCall)],
    ['expired', signRightsBody(DEV_INTERNAL_SECRET, describeCall, Date.now() - 120_000)],
    ['from the future', signRightsBody(DEV_INTERNAL_SECRET, describeCall, Date.now() + 120_000)],
    ['for another body', signRightsBody(DEV_INTERNAL_SECRET, JSON.stringify({ op: 'describe', x: 1 }))],
    ['malformed', 't=1,s=abc'],
  ])('refuses a %s signature with 401 and no detail of the work', async (_case, signature) => {
    const res = await post(describeCall, signature);
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(res.body)).not.toMatch(/Contact|at \w+ \(/);
  });

  it('answers a signed call; refuses a signed body that is no rights call with 400, never a stack', async () => {
    expect((await post(describeCall, signRightsBody(DEV_INTERNAL_SECRET, describeCall))).status).toBe(200);
    for (const body of ['{not json', JSON.stringify({ op: 'erase', tenantId, subject: USER(), entity: 'Contact', cursor: null, limit: 0 }), JSON.stringify({ op: 'drop' })]) {
      const res = await post(body, signRightsBody(DEV_INTERNAL_SECRET, body));
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe('BAD_REQUEST');
      expect(res.body.error?.message).not.toMatch(/\n\s+at /);
    }
  });

  it('is not reachable through the gateway', async () => {
    const body = describeCall;
    const res = await request(new URL(RIGHTS_PATH, t.gatewayUrl), { method: 'POST', headers: { 'content-type': 'application/json', [RIGHTS_SIGNATURE_HEADER]: signRightsBody(DEV_INTERNAL_SECRET, body) }, body });
    const text = await res.body.text();
    expect(res.statusCode).not.toBe(200);
    expect(text).not.toContain('"entities"');
  });

  it('the client reports an unreachable subgraph as UNAVAILABLE', async () => {
    await expect(callRights('http://127.0.0.1:9/', DEV_INTERNAL_SECRET, { op: 'describe' }, { timeoutMs: 2000 })).rejects.toBeInstanceOf(RightsCallError);
  });
});
