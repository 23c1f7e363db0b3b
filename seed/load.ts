import type { DataSource, EntitySchema, ObjectLiteral, QueryRunner } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { TeamEntity, TenantEntity, UserEntity } from '../subgraphs/accounts/entities';
import { CallLogEntity } from '../subgraphs/calls/entities';
import { ContactEntity, ContactSearchPendingEntity, ContactSearchTokenEntity } from '../subgraphs/contacts/entities';
import { tokenRowsOf } from '../subgraphs/contacts/search-index';
import { GeofenceEntity, LocationPingEntity } from '../subgraphs/location/entities';
import { ConsentRecordEntity, PartnerAppEntity, PartnerInstallationEntity, ProcessingControlEntity, type ProcessingControlRow } from '../privacy/store/entities';
import type { UserRow } from '../subgraphs/accounts/entities';
import type { SubgraphName } from '../subgraphs/shared/subgraph';
import { SEED_NOW, type DemoData, type DemoKind, type DemoRow } from './generate';

export type SeedStores = Record<SubgraphName | 'privacy', DataSource>;

/** Rows per INSERT statement: well under SQLite's 32,766 bound parameters and MySQL's packet size. */
const ROWS_PER_STATEMENT = 500;
/**
 * Rows per transaction. On the embedded store every subgraph's connection writes to one file and
 * only one writer may hold it, so each table commits in slices rather than in one long transaction.
 * Slices are large because each commit writes every page it dirtied to the write-ahead log, and
 * rows keyed by random UUIDs dirty pages all over the primary-key index.
 */
const ROWS_PER_TRANSACTION = 200_000;
/** SQLite page cache per connection while seeding (negative: KiB). */
const SEED_CACHE_KIB = -262_144;

/** Which store and table each kind of demo row goes to. */
const TARGETS: { [K in DemoKind]: { store: keyof SeedStores; entity: EntitySchema<DemoData[K][number]> } } = {
  partnerApps: { store: 'privacy', entity: PartnerAppEntity },
  partnerInstallations: { store: 'privacy', entity: PartnerInstallationEntity },
  consentRecords: { store: 'privacy', entity: ConsentRecordEntity },
  tenants: { store: 'accounts', entity: TenantEntity },
  teams: { store: 'accounts', entity: TeamEntity },
  users: { store: 'accounts', entity: UserEntity },
  contacts: { store: 'contacts', entity: ContactEntity },
  callLogs: { store: 'calls', entity: CallLogEntity },
  locationPings: { store: 'location', entity: LocationPingEntity },
  geofences: { store: 'location', entity: GeofenceEntity },
};

/**
 * Rows written beside a kind's own rows, derived from each of them: a contact's words go into the
 * contacts' search index as the contact is written (the triggers' marks for the seeded contacts
 * are then cleared, see clearSearchMarks).
 */
const DERIVED: { [K in DemoKind]?: { store: keyof SeedStores; entity: EntitySchema<any>; rows: (row: DemoData[K][number]) => ObjectLiteral[] } } = {
  contacts: { store: 'contacts', entity: ContactSearchTokenEntity, rows: tokenRowsOf },
  // A closed account's expiry, as closing it records it (subgraphs/accounts/status.ts).
  users: { store: 'privacy', entity: ProcessingControlEntity, rows: (user) => (user.status === 'CLOSED' ? [expiryOf(user)] : []) },
};

function expiryOf(user: UserRow): ProcessingControlRow {
  return { tenantId: user.tenantId, subjectType: 'USER', subjectId: user.id, control: 'EXPIRY', purpose: '', requestId: null, recordedBy: user.id, recordedAt: user.statusSince ?? SEED_NOW };
}

/**
 * Buffers the rows of one table and writes them as multi-row INSERTs of one prepared shape
 * (the embedded driver caches the prepared statement), one transaction per slice. Columns and
 * value conversion (dates as each dialect stores them) come from the entity's TypeORM metadata,
 * so the rows land exactly as the ORM would write them.
 */
class TableWriter<T extends ObjectLiteral> {
  private pending: T[] = [];
  private readonly columns: ColumnMetadata[];
  private readonly table: string;
  private readonly primaryKey: string[];
  private readonly statements = new Map<number, string>();

  constructor(
    private readonly store: DataSource,
    entity: EntitySchema<T>,
  ) {
    const metadata = store.getMetadata(entity);
    this.columns = metadata.columns;
    this.primaryKey = metadata.primaryColumns.map((column) => column.propertyName);
    this.table = store.driver.escape(metadata.tableName);
  }

  /** Queues a row; true when a slice is full and should be flushed. */
  add(row: T): boolean {
    this.pending.push(row);
    return this.pending.length >= ROWS_PER_TRANSACTION;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    // In primary-key order, each slice fills the key's B-tree (InnoDB's clustered index) in one
    // pass instead of at random places: random UUIDs otherwise touch every page on every slice.
    const rows = inKeyOrder(this.pending, this.primaryKey);
    this.pending = [];
    const runner = this.store.createQueryRunner();
    try {
      await runner.startTransaction();
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await this.insert(runner, rows.slice(i, i + ROWS_PER_STATEMENT));
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async insert(runner: QueryRunner, rows: T[]): Promise<void> {
    const { driver } = this.store;
    const parameters: unknown[] = [];
    for (const row of rows) {
      for (const column of this.columns) parameters.push(driver.preparePersistentValue(row[column.propertyName], column) ?? null);
    }
    await runner.query(this.statement(rows.length), parameters);
  }

  private statement(rowCount: number): string {
    let sql = this.statements.get(rowCount);
    if (!sql) {
      const { driver } = this.store;
      const tuple = `(${this.columns.map(() => '?').join(', ')})`;
      sql = `INSERT INTO ${this.table} (${this.columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES ${Array(rowCount).fill(tuple).join(', ')}`;
      this.statements.set(rowCount, sql);
    }
    return sql;
  }
}

/**
 * Rows sorted by their primary key (column by column, as strings). Each row's key is made once,
 * not at every comparison: a slice of 200,000 rows takes some 3.5 million comparisons.
 */
function inKeyOrder<T extends ObjectLiteral>(rows: T[], primaryKey: readonly string[]): T[] {
  // NUL sorts before every character of a key, so joined keys order as the tuples do.
  const keyOf = primaryKey.length === 1 ? (row: T) => String(row[primaryKey[0]!]) : (row: T) => primaryKey.map((k) => String(row[k])).join('\u0000');
  const keyed = rows.map((row) => ({ key: keyOf(row), row }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((entry) => entry.row);
}

/** The seeded contacts' words are in the index already: the marks their inserts left are not needed. */
async function clearSearchMarks(stores: SeedStores): Promise<void> {
  await stores.contacts.createQueryBuilder().delete().from(ContactSearchPendingEntity).execute();
}

/** True when the accounts store holds no tenant yet (a fresh database). */
export async function isEmpty(accounts: DataSource): Promise<boolean> {
  return (await accounts.getRepository(TenantEntity).count()) === 0;
}

/**
 * Writes demo rows, as they come, into each subgraph's own store and the privacy store: millions of
 * rows in bounded memory. Tables are written in slices: a failure part-way leaves a partly seeded
 * database, which `npm run seed -- --reset` starts over.
 */
export async function loadDemoRows(stores: SeedStores, rows: Iterable<DemoRow>): Promise<Record<DemoKind, number>> {
  const restoreCache = await enlargeSqliteCache(stores);
  const rebuildIndexes = await deferSqliteIndexes(stores);
  try {
    return await writeRows(stores, rows);
  } finally {
    await rebuildIndexes();
    await restoreCache();
  }
}

async function writeRows(stores: SeedStores, rows: Iterable<DemoRow>): Promise<Record<DemoKind, number>> {
  const writers = new Map<DemoKind, TableWriter<ObjectLiteral>>();
  const counts = Object.fromEntries(Object.keys(TARGETS).map((kind) => [kind, 0])) as Record<DemoKind, number>;
  // When one kind's slice is full, every kind's pending rows are written, in the order the kinds
  // first came: parents (tenants, teams) are always in before the rows that refer to them.
  const flushAll = async () => {
    for (const writer of writers.values()) await writer.flush();
  };
  const derivedWriters = new Map<DemoKind, TableWriter<ObjectLiteral>>();
  for (const { kind, row } of rows) {
    let writer = writers.get(kind);
    if (!writer) {
      const target = TARGETS[kind];
      writer = new TableWriter<ObjectLiteral>(stores[target.store], target.entity as EntitySchema<ObjectLiteral>);
      writers.set(kind, writer);
    }
    counts[kind] += 1;
    let full = writer.add(row);
    const derived = DERIVED[kind] as { store: keyof SeedStores; entity: EntitySchema<ObjectLiteral>; rows: (row: ObjectLiteral) => ObjectLiteral[] } | undefined;
    if (derived) {
      let derivedWriter = derivedWriters.get(kind);
      if (!derivedWriter) derivedWriters.set(kind, (derivedWriter = new TableWriter<ObjectLiteral>(stores[derived.store], derived.entity)));
      for (const extra of derived.rows(row)) full = derivedWriter.add(extra) || full;
    }
    if (full) {
      await flushAll();
      for (const derivedWriter of derivedWriters.values()) await derivedWriter.flush();
    }
  }
  await flushAll();
  for (const derivedWriter of derivedWriters.values()) await derivedWriter.flush();
  await clearSearchMarks(stores);
  return counts;
}

/**
 * On the embedded store, a table's secondary indexes are dropped before its rows arrive and built
 * again, from their own definitions, once they are in: building an index from a full table sorts
 * once, where inserting millions of random-order keys updates every index on every row (about
 * 2.5x slower). Unique indexes stay, so their constraints hold while rows arrive. Should the
 * process die part-way, `npm run seed -- --reset` drops the tables and migrates them again.
 */
async function deferSqliteIndexes(stores: SeedStores): Promise<() => Promise<void>> {
  const deferred: { store: DataSource; sql: string; stat: { tbl: string; idx: string; stat: string }[] }[] = [];
  const tables = [...Object.values(TARGETS), ...Object.values(DERIVED)] as { store: keyof SeedStores; entity: EntitySchema<any> }[];
  for (const target of tables) {
    const store = stores[target.store];
    if (store.options.type !== 'better-sqlite3') continue;
    const table = store.getMetadata(target.entity).tableName;
    const indexes: { name: string; sql: string }[] = await store.query(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
      [table],
    );
    for (const index of indexes) {
      // Dropping an index drops its planner statistics too (see platform/sqlite-planner.ts): kept and put back.
      const stat = await store.query('SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx = ?', [index.name]).catch(() => []);
      await store.query(`DROP INDEX ${store.driver.escape(index.name)}`);
      deferred.push({ store, sql: index.sql, stat });
    }
  }
  return async () => {
    for (const { store, sql, stat } of deferred) {
      await store.query(sql);
      for (const row of stat) await store.query('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)', [row.tbl, row.idx, row.stat]);
    }
    for (const store of new Set(deferred.map((d) => d.store))) await store.query('ANALYZE sqlite_schema');
  };
}

/**
 * SQLite keeps 2 MB of pages per connection by default; the indexes of a million rows keyed by
 * random UUIDs need far more while they are built, or every insert rereads pages from the file.
 * And a commit need not wait for the disk during the load (synchronous NORMAL: in WAL mode the
 * database stays consistent, a power cut may only lose the last commits, which --reset redoes).
 */
async function enlargeSqliteCache(stores: SeedStores): Promise<() => Promise<void>> {
  const sqlite = [...new Set(Object.values(stores))].filter((store) => store.options.type === 'better-sqlite3');
  const previous = await Promise.all(
    sqlite.map(async (store) => ({
      cache: Number((await store.query('PRAGMA cache_size'))[0].cache_size),
      synchronous: Number((await store.query('PRAGMA synchronous'))[0].synchronous),
    })),
  );
  for (const store of sqlite) {
    await store.query(`PRAGMA cache_size = ${SEED_CACHE_KIB}`);
    await store.query('PRAGMA synchronous = NORMAL');
  }
  return async () => {
    for (const [i, store] of sqlite.entries()) {
      await store.query(`PRAGMA cache_size = ${previous[i]!.cache}`);
      await store.query(`PRAGMA synchronous = ${previous[i]!.synchronous}`);
    }
  };
}

/** Writes demo data that is already in memory (tests, `npm start` on an empty store). */
export async function loadDemoData(stores: SeedStores, data: DemoData): Promise<void> {
  await loadDemoRows(stores, demoDataRows(data));
}

function* demoDataRows(data: DemoData): Generator<DemoRow> {
  // Parents first: the foreign keys of teams and users point at tenants and teams.
  const kinds: DemoKind[] = ['partnerApps', 'tenants', 'teams', 'users', 'partnerInstallations', 'contacts', 'callLogs', 'locationPings', 'geofences', 'consentRecords'];
  for (const kind of kinds) for (const row of data[kind]) yield { kind, row } as DemoRow;
}
