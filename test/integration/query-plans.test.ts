/**
 * Every statement the product runs must do work bounded by the rows it returns, at any tenant
 * size. This test runs representative operations through the gateway (every root field, list
 * relation and loader, first pages and cursor pages, counts, the privacy store's reads), keeps
 * every SQL statement they send, and asks the store's own planner how it would run each one:
 * EXPLAIN QUERY PLAN on SQLite, EXPLAIN on MySQL/MariaDB. New statements are checked without
 * editing this file: they are found by running the operations, not listed here.
 *
 * THE RULE. Each table access of a plan is classified:
 *   - full scan: the whole table, or a whole index, is read (SQLite `SCAN t`, MySQL type ALL or
 *     index). Fails, except for the few tables that are read whole by design (SMALL_TABLES).
 *   - tenant walk: an index is searched on the tenant column alone (SQLite `(tenantId=?)`, MySQL
 *     a ref/range whose key length is the tenant column's), so the work grows with the tenant.
 *     It passes only as a page read in index order: the statement has a LIMIT, sorts nothing,
 *     and binds no value but the tenant id, so every row it visits is a row it returns and the
 *     LIMIT bounds it. A walk that also filters (a cursor, an IN list, a search) or counts does not.
 *     Tables that hold a handful of rows per tenant by nature (SMALL_PER_TENANT) may be walked.
 *   - bounded search: a key beyond the tenant (an id, a parent id, a phone, a sort-key range).
 *   A sort (a temporary B-tree in SQLite; filesort or a temporary table in MySQL) passes only when
 *   every access of the plan is a bounded search: it then sorts the rows found, not the tenant.
 *
 * On SQLite the planner reads the statistics the migrations record for a large tenant
 * (platform/sqlite-planner.ts), not measured ones, so its plans on the demo data are the plans
 * for a tenant of 100,000 contacts. MySQL and MariaDB plan from measured statistics: there the
 * store is seeded larger and ANALYZE TABLE runs first, so a scan that is only cheap on a tiny
 * table is not chosen here either.
 */
import type { DataSource } from 'typeorm';
import { captureStatements, type CapturedStatement } from '../../platform/database';
import { testTarget } from '../helpers/database';
import { startTestStack, type TestStack } from '../helpers/stack';

/** Read whole by design: the global registry of partner apps (a few rows, listed by `partnerApps`). */
const SMALL_TABLES = new Set(['partner_apps']);
/**
 * A handful of rows per tenant by nature: the tenant's teams, its installed partner apps, the
 * restrictions and objections in force (one per person who exercised that right; every request
 * reads them all, see privacy/store/controls.ts).
 */
const SMALL_PER_TENANT = new Set(['teams', 'partner_installations', 'processing_controls']);
/**
 * Plans known to break the rule, each with the reason and what removes it; a problem is excused
 * only on the named stores, for statements matching `sql`, and only the problem matching `problem`.
 */
const KNOWN_EXCEPTIONS: { stores: ('sqlite' | 'mysql')[]; sql: RegExp; problem: RegExp; reason: string }[] = [
  {
    stores: ['sqlite', 'mysql'],
    // A list in name order whose children show their names masked: `(birthDate IS NULL OR birthDate <= ?)` among the classes shown in full.
    sql: /"?birthDate"?`? <= \?/,
    problem: /walks every row/,
    reason:
      'a page of contacts in name order that leaves out the children (whose names are masked, listed after by id): the walk filters out only the children, a few in a hundred, so it reads about as many rows as it returns; a tenant of mostly children would need an index on (tenantId, adult, name, id) with the cut-off moving daily',
  },
  {
    stores: ['sqlite', 'mysql'],
    // A list of users in name order that leaves out expired accounts: `(status IS NULL OR status <> ?)` among the classes shown in full.
    sql: /status["`]? <> \?/,
    problem: /walks every row/,
    reason:
      'a page of users in name order that leaves out the expired (closed) accounts, whose names are withheld and listed after them by id: the walk filters out only the closed accounts, which retention purges 45 days after closing, so it reads about as many rows as it returns',
  },
  {
    stores: ['mysql'],
    // The fences at contacts' sites, listed after the fences of no one by id (their names are shown masked).
    sql: /contactId`? IS NOT NULL\) ORDER BY `e`\.`id`/,
    problem: /walks every row|sorts rows it did not bound/,
    reason:
      "MariaDB reads the fences at contacts' sites by the tenant prefix of (tenantId, contactId, name, id) with `contactId IS NOT NULL` as an index condition, then sorts them by id: the work is bounded by the tenant's fences at contact sites (a few per contact at most), not by the page; SQLite seeks the range",
  },
  {
    stores: ['mysql'],
    // The rights worker's claim: the oldest claimable steps of any request, from the queue index (status, notBefore).
    sql: /FROM `privacy_request_steps` s WHERE \(\(s\.`status` = 'PENDING'/,
    problem: /walks every row|sorts rows it did not bound/,
    reason:
      'the rights worker claims from the queue of steps waiting (PENDING, or RUNNING with a lapsed lease) through (status, notBefore), then orders those few by phase: the work is bounded by the steps waiting across all tenants, never by the steps done, which MariaDB reports as a range on a key no longer than the status',
  },
  {
    stores: ['mysql'],
    // The leading bound on the cursor row's sort key, `e.name >= (SELECT … cursor_row …) AND (…)`.
    sql: /[<>]= \(SELECT [^)]*cursor_row[^)]*\) AND \(/,
    problem: /walks every row/,
    reason:
      'a later page: MariaDB 10.x reads it by ref on the tenant with the cursor pushed into the index (ICP) rather than by a range seek on (tenantId, sort key, id) whenever the range holds much of the tenant, so it steps over the index entries before the cursor (no rows are read for them); SQLite seeks',
  },
];

/** Seeded larger on MySQL/MariaDB, whose planner would rightly scan a table of a few hundred rows. */
const SEED_SCALE = testTarget() === 'mysql' ? 15 : 1;
const TENANT_COLUMN = 'tenantId';

let t: TestStack;
let tenantId: string;

beforeAll(async () => {
  t = await startTestStack({ seedScale: SEED_SCALE });
  tenantId = t.demo.tenants[0]!.id;
  if (t.database.kind === 'mysql') {
    for (const store of Object.values(t.stack.stores)) {
      for (const metadata of store.entityMetadatas) await store.query(`ANALYZE TABLE ${store.driver.escape(metadata.tableName)}`);
    }
  }
}, 180_000);
afterAll(() => t?.close());

type Access = { table: string; kind: 'full scan' | 'tenant walk' | 'bounded search' | 'derived'; estimatedRows?: number };
interface Plan {
  accesses: Access[];
  sorts: boolean;
  text: string;
}

/** Maps the aliases of a statement (`FROM "call_logs" "e"`) to their tables. */
function aliasesOf(sql: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+[`"]?(\w+)[`"]?(?:\s+(?:AS\s+)?[`"]?(\w+)[`"]?)?/gi)) {
    const [, table, alias] = m;
    if (!table || /^(SELECT|WHERE|SET|VALUES)$/i.test(table)) continue;
    aliases.set(table, table);
    if (alias && !/^(WHERE|ORDER|GROUP|LIMIT|INNER|LEFT|JOIN|ON|SET|VALUES)$/i.test(alias)) aliases.set(alias, table);
  }
  return aliases;
}

async function sqlitePlan(statement: CapturedStatement): Promise<Plan> {
  const store = t.stack.stores[statement.store as keyof typeof t.stack.stores];
  const rows: { detail: string }[] = await store.query(`EXPLAIN QUERY PLAN ${statement.sql}`, [...statement.parameters]);
  const aliases = aliasesOf(statement.sql);
  const accesses: Access[] = [];
  let sorts = false;
  for (const { detail } of rows) {
    if (/USE TEMP B-TREE FOR/.test(detail)) sorts = true;
    const scan = /^SCAN (\S+)(?: USING (?:COVERING )?INDEX \S+)?$/.exec(detail);
    const search = /^SEARCH (\S+) USING (?:(?:COVERING |INTEGER PRIMARY KEY)?\s*INDEX )?(\S*)\s*(?:\((.*)\))?/.exec(detail);
    const name = scan?.[1] ?? search?.[1];
    if (!name) continue;
    const table = aliases.get(name);
    if (!table) {
      accesses.push({ table: name, kind: 'derived' }); // a subquery's result (co-routine, list)
    } else if (scan) {
      accesses.push({ table, kind: 'full scan' });
    } else {
      const key = search?.[3] ?? '';
      // A SEARCH with no key reads one end of an index (MIN/MAX); a whole-index read is reported as SCAN.
      // The tenant column alone is a point look-up where it is the whole of a unique index (a per-tenant counter).
      const walk = key === `${TENANT_COLUMN}=?` && !(await isUniqueOnTenant(store, table, search?.[2] ?? ''));
      accesses.push({ table, kind: walk ? 'tenant walk' : 'bounded search' });
    }
  }
  return { accesses, sorts, text: rows.map((r) => r.detail).join(' | ') };
}

async function isUniqueOnTenant(store: DataSource, table: string, index: string): Promise<boolean> {
  const [listed]: { unique: number }[] = await store.query('SELECT "unique" FROM pragma_index_list(?) WHERE name = ?', [table, index]);
  const columns: { name: string }[] = await store.query('SELECT name FROM pragma_index_info(?)', [index]);
  return listed?.unique === 1 && columns.length === 1 && columns[0]!.name === TENANT_COLUMN;
}

/** Key length MySQL reports for a search on the tenant column alone: varchar(36) utf8mb4 NOT NULL. */
const TENANT_KEY_LENGTH = 36 * 4 + 2;

async function mysqlPlan(statement: CapturedStatement): Promise<Plan> {
  const store = t.stack.stores[statement.store as keyof typeof t.stack.stores];
  const rows: { table: string | null; type: string | null; key: string | null; key_len: string | null; rows: string | null; Extra: string | null }[] = await store.query(
    `EXPLAIN ${statement.sql}`,
    [...statement.parameters],
  );
  const aliases = aliasesOf(statement.sql);
  const accesses: Access[] = [];
  let sorts = false;
  for (const row of rows) {
    if (/filesort|temporary/i.test(row.Extra ?? '')) sorts = true;
    if (!row.table) continue;
    const table = aliases.get(row.table);
    if (!table) {
      accesses.push({ table: row.table, kind: 'derived' });
    } else if (row.type === 'ALL' || row.type === 'index') {
      accesses.push({ table, kind: 'full scan', estimatedRows: Number(row.rows) });
    } else if (row.key && row.key !== 'PRIMARY' && Number(row.key_len) <= TENANT_KEY_LENGTH && (row.type === 'ref' || row.type === 'range')) {
      accesses.push({ table, kind: 'tenant walk' });
    } else {
      accesses.push({ table, kind: 'bounded search' });
    }
  }
  return { accesses, sorts, text: rows.map((r) => `${r.table}:${r.type}:${r.key}:${r.key_len}:${r.Extra ?? ''}`).join(' | ') };
}

/** What is wrong with a plan, per THE RULE above; empty when it is bounded. */
function violations(statement: CapturedStatement, plan: Plan): string[] {
  const problems: string[] = [];
  const onlyTenantBound = statement.parameters.every((value) => value === tenantId);
  const isPage = /\bLIMIT\b/i.test(statement.sql) && !plan.sorts && onlyTenantBound;
  for (const access of plan.accesses) {
    // MySQL rightly scans a table of a few rows: for a table that stays small per tenant, that is no finding.
    const tinyScan = SMALL_PER_TENANT.has(access.table) && (access.estimatedRows ?? Infinity) <= 50;
    if (access.kind === 'full scan' && !SMALL_TABLES.has(access.table) && !tinyScan) problems.push(`full scan of ${access.table}`);
    if (access.kind === 'tenant walk' && !SMALL_PER_TENANT.has(access.table) && !isPage) problems.push(`walks every row of the tenant in ${access.table}`);
  }
  const unbounded = plan.accesses.some((a) => a.kind !== 'bounded search' && a.kind !== 'derived' && !SMALL_TABLES.has(a.table) && !SMALL_PER_TENANT.has(a.table));
  if (plan.sorts && unbounded) problems.push('sorts rows it did not bound by an index');
  return problems;
}

const planOf = (statement: CapturedStatement) => (t.database.kind === 'mysql' ? mysqlPlan(statement) : sqlitePlan(statement));

/** Runs an operation through the gateway and fails on any error, so a broken operation cannot hide its statements. */
async function run(token: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<any> {
  const res = await t.query(query, { token, variables, headers });
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

/** The representative operations: every root field, list relation and loader; first and later pages. */
async function runOperations(): Promise<void> {
  const admin = await t.tokenFor('ADMIN');
  const support = await t.tokenFor('SUPPORT', { claims: { ticket: { id: 'T-1', reason: 'plan test', expiresAt: new Date(Date.now() + 600_000).toISOString() } } });
  const dpo = await t.tokenFor('DPO');
  const contact = t.demo.contacts.find((c) => c.tenantId === tenantId && c.phone && c.ownerId)!;
  const call = t.demo.callLogs.find((c) => c.tenantId === tenantId && c.contactId)!;
  const user = t.demo.users.find((u) => u.tenantId === tenantId)!;
  const window = { from: '2026-06-01T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' };

  const first = await run(
    admin,
    `query($w1: DateTime, $w2: DateTime) {
      me { id name team { name members(first: 2) { totalCount pageInfo { endCursor } nodes { id } } } tenant { name teams { name } } }
      caller { role user { id } tenant { id } }
      tenant { teams { id } }
      users(first: 3) { totalCount pageInfo { endCursor } nodes { id
        contacts(first: 3) { totalCount pageInfo { endCursor } nodes { id } }
        calls(first: 3, from: $w1, to: $w2) { totalCount pageInfo { endCursor } nodes { id } }
        locations(first: 3, from: $w1, to: $w2) { totalCount pageInfo { endCursor } nodes { recordedAt } }
        lastLocation { recordedAt } } }
      contacts(first: 3) { totalCount pageInfo { endCursor } nodes { id owner { name }
        calls(first: 2) { totalCount pageInfo { endCursor } nodes { id user { name } contact { name } } } lastCall { id } } }
      geofences(first: 2) { totalCount pageInfo { endCursor } nodes { name contact { name } } }
      partnerApps { clientId }
    }`,
    { w1: window.from, w2: window.to },
  );
  const u0 = first.users.nodes[0];
  const c0 = first.contacts.nodes[0];
  // A cursor is bound to its caller and list — for a child list, to its parent: later pages of
  // child lists are asked of the parent each cursor came from.
  await run(
    admin,
    `query($u: String, $c: String, $g: String, $m: String, $uc: String, $ucall: String, $uloc: String, $cc: String, $w1: DateTime, $w2: DateTime, $user: ID!, $contact: ID!) {
      me { team { members(first: 2, after: $m) { nodes { id } } } }
      users(first: 3, after: $u) { nodes { id } }
      user(id: $user) {
        contacts(first: 3, after: $uc) { nodes { id } }
        calls(first: 3, after: $ucall, from: $w1, to: $w2) { nodes { id } }
        locations(first: 3, after: $uloc, from: $w1, to: $w2) { nodes { recordedAt } } }
      contacts(first: 3, after: $c) { nodes { id } }
      contact(id: $contact) { calls(first: 2, after: $cc) { nodes { id } } }
      geofences(first: 2, after: $g) { nodes { name } }
    }`,
    {
      user: u0.id,
      contact: c0.id,
      u: first.users.pageInfo.endCursor,
      c: first.contacts.pageInfo.endCursor,
      g: first.geofences.pageInfo.endCursor,
      m: first.me.team.members.pageInfo.endCursor,
      uc: u0.contacts.pageInfo.endCursor,
      ucall: u0.calls.pageInfo.endCursor,
      uloc: u0.locations.pageInfo.endCursor,
      cc: c0.calls.pageInfo.endCursor,
      w1: window.from,
      w2: window.to,
    },
  );
  await run(
    admin,
    `query($id: ID!, $phone: String!, $call: ID!, $user: ID!, $word: String, $words: String) {
      contact(id: $id) { name calls(first: 2) { nodes { id } } }
      contactByPhone(phone: $phone) { id }
      callLog(id: $call) { id contact { name } user { name } recordingUrl }
      user(id: $user) { name contacts(first: 2) { nodes { name } } calls(first: 2) { totalCount nodes { id } } locations(first: 2) { totalCount nodes { recordedAt } } }
      search: contacts(first: 3, search: $word) { totalCount nodes { id } }
      twoWords: contacts(first: 3, search: $words) { totalCount nodes { id } }
      consents(subject: { type: CONTACT, id: $id }) { current { purpose granted } }
    }`,
    // A search by the beginning of a surname, and by the beginnings of two words. (A one-letter
    // search matches much of the tenant: there reading the tenant in name order is the right plan.)
    { id: contact.id, phone: contact.phone, call: call.id, user: user.id, word: contact.name.split(' ')[1]!.slice(0, 3), words: `${contact.name.split(' ')[1]!.slice(0, 3)} ${contact.name.slice(0, 2)}` },
  );
  await run(admin, 'mutation($id: ID!) { grantConsent(subject: { type: CONTACT, id: $id }, purpose: MARKETING, source: "web-form") { purpose } }', { id: contact.id });
  await run(admin, 'mutation { installPartnerApp(clientId: "maps-app") { clientId } }');
  // Audited callers: the disclosure is appended to the tenant's hash chain.
  await run(support, '{ contacts(first: 3) { nodes { name phone } } }', {}, { 'x-purpose': 'SUPPORT' });
  await run(dpo, '{ users(first: 3) { nodes { name lastLocation { latitude } } } }', {}, { 'x-purpose': 'LEGAL' });
}

describe('query plans', () => {
  let statements: CapturedStatement[];

  beforeAll(async () => {
    const capture = captureStatements();
    try {
      await runOperations();
    } finally {
      capture.stop();
    }
    const unique = new Map<string, CapturedStatement>();
    for (const statement of capture.statements) {
      if (/^\s*(SELECT|UPDATE|DELETE)\b/i.test(statement.sql)) unique.set(`${statement.store}\n${statement.sql}`, statement);
    }
    statements = [...unique.values()];
  });

  it('reaches every subgraph store and the privacy store with many distinct statements', () => {
    expect(new Set(statements.map((s) => s.store))).toEqual(new Set(['accounts', 'contacts', 'calls', 'location', 'privacy']));
    expect(statements.length).toBeGreaterThanOrEqual(30);
  });

  it('tells a bounded plan from a full scan, a tenant walk and a sort over the tenant', async () => {
    const store = t.stack.stores.calls;
    const q = (name: string) => store.driver.escape(name);
    const calls = `${q('call_logs')} ${q('e')}`;
    const verdict = async (where: string, parameters: unknown[]) =>
      violations({ store: 'calls', sql: `SELECT ${q('e')}.${q('id')} FROM ${calls} WHERE ${where}`, parameters }, await planOf({ store: 'calls', sql: `SELECT ${q('e')}.${q('id')} FROM ${calls} WHERE ${where}`, parameters }));
    const contactId = t.demo.callLogs.find((c) => c.tenantId === tenantId && c.contactId)!.contactId;
    expect(await verdict(`${q('e')}.${q('durationSeconds')} > ?`, [60])).toEqual(['full scan of call_logs']);
    // MySQL may scan the table rather than walk a tenant that holds half of it: either is a finding.
    expect(await verdict(`${q('e')}.${q('tenantId')} = ? AND ${q('e')}.${q('durationSeconds')} > ?`, [tenantId, 60])).toEqual([
      expect.stringMatching(/^(walks every row of the tenant in call_logs|full scan of call_logs)$/),
    ]);
    expect(await verdict(`${q('e')}.${q('tenantId')} = ? ORDER BY ${q('e')}.${q('durationSeconds')} LIMIT 5`, [tenantId])).toContain('sorts rows it did not bound by an index');
    expect(await verdict(`${q('e')}.${q('tenantId')} = ? AND ${q('e')}.${q('contactId')} = ? ORDER BY ${q('e')}.${q('durationSeconds')}`, [tenantId, contactId])).toEqual([]);
  });

  it('bounds the work of every statement by the rows it returns', async () => {
    const failures: string[] = [];
    for (const statement of statements) {
      const plan = await planOf(statement);
      const excused = KNOWN_EXCEPTIONS.filter((e) => e.stores.includes(t.database.kind) && e.sql.test(statement.sql));
      const problems = violations(statement, plan).filter((problem) => !excused.some((e) => e.problem.test(problem)));
      if (problems.length) failures.push(`[${statement.store}] ${problems.join('; ')}\n  ${statement.sql}\n  plan: ${plan.text}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('index declarations', () => {
  /** The secondary indexes a table has in the store: name -> columns (keys and foreign-key helpers left out). */
  async function indexesIn(store: DataSource, table: string): Promise<Map<string, string[]>> {
    const rows: { name: string; column: string }[] =
      t.database.kind === 'mysql'
        ? await store.query(
            "SELECT INDEX_NAME AS name, COLUMN_NAME AS `column` FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' AND INDEX_NAME NOT LIKE 'FK\\_%' ORDER BY INDEX_NAME, SEQ_IN_INDEX",
            [table],
          )
        : await store.query(
            "SELECT m.name AS name, i.name AS \"column\" FROM sqlite_master m JOIN pragma_index_info(m.name) i WHERE m.type = 'index' AND m.tbl_name = ? AND m.sql IS NOT NULL ORDER BY m.name, i.seqno",
            [table],
          );
    const indexes = new Map<string, string[]>();
    for (const { name, column } of rows) indexes.set(name, [...(indexes.get(name) ?? []), column]);
    return indexes;
  }

  it('match the indexes the migrations create, in every subgraph store', async () => {
    let checked = 0;
    for (const name of ['accounts', 'contacts', 'calls', 'location'] as const) {
      const store = t.stack.stores[name];
      for (const metadata of store.entityMetadatas) {
        const declared = new Map(metadata.indices.map((index) => [index.name!, index.columns.map((c) => c.databaseName)]));
        expect([metadata.tableName, await indexesIn(store, metadata.tableName)]).toEqual([metadata.tableName, declared]);
        checked += declared.size;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});
