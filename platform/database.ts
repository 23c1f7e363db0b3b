import fs from 'node:fs';
import path from 'node:path';
import { DataSource, type DataSourceOptions, type EntityManager, type EntitySchema, type Logger as OrmLogger, type MixedList } from 'typeorm';
import { childLogger } from './logger';

const log = childLogger('database');

export const DEFAULT_DATABASE_URL = 'sqlite:data/crm.sqlite';

export type DatabaseTarget =
  | { kind: 'mysql'; url: string }
  | { kind: 'sqlite'; file: string };

/**
 * DATABASE_URL picks the store: `mysql://user:pass@host:port/db` (production, through mysql2) or
 * `sqlite:<file>` (the embedded default, no server needed).
 */
export function parseDatabaseUrl(url: string = DEFAULT_DATABASE_URL): DatabaseTarget {
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    return { kind: 'mysql', url: url.replace(/^mariadb:/, 'mysql:') };
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new Error('DATABASE_URL sqlite: needs a file path');
    return { kind: 'sqlite', file };
  }
  throw new Error('DATABASE_URL must start with mysql:// or sqlite:');
}

/** Counts every SQL statement sent, so tests and benchmarks can check batching. */
export const sqlStatistics = { statements: 0 };

/** One statement as sent: the store that ran it, its SQL and its bound values. */
export interface CapturedStatement {
  store: string;
  sql: string;
  parameters: readonly unknown[];
}

let captured: CapturedStatement[] | undefined;

/**
 * Starts keeping every statement sent, in memory, until `stop()` (the query-plan test asks the
 * planner about each). Off unless a test turns it on: the bound values are personal data and are
 * never logged or kept otherwise.
 */
export function captureStatements(): { statements: CapturedStatement[]; stop(): void } {
  const statements: CapturedStatement[] = [];
  captured = statements;
  return {
    statements,
    stop: () => {
      if (captured === statements) captured = undefined;
    },
  };
}

/**
 * TypeORM logger: counts statements and logs failures and slow queries. Query parameters are
 * never logged — they carry personal data.
 */
class CountingLogger implements OrmLogger {
  constructor(private readonly name: string) {}
  logQuery(sql: string, parameters?: unknown[]): void {
    sqlStatistics.statements += 1;
    captured?.push({ store: this.name, sql, parameters: parameters ?? [] });
  }
  logQueryError(error: string | Error): void {
    const code = typeof error === 'string' ? undefined : (error as { code?: string }).code;
    log.warn({ db: this.name, code }, 'query failed');
  }
  logQuerySlow(time: number): void {
    log.warn({ db: this.name, ms: time }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    log.info({ db: this.name }, message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') log.warn({ db: this.name }, String(message));
  }
}

export interface DataSourceSpec {
  /** The owner of the tables; also names its migrations table, so owners never share one. */
  name: string;
  entities: MixedList<EntitySchema>;
  migrations: MixedList<Function>;
}

export function createDataSource(spec: DataSourceSpec, url?: string): DataSource {
  const target = parseDatabaseUrl(url);
  const common = {
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: `migrations_${spec.name}`,
    synchronize: false,
    logging: ['query', 'error', 'warn', 'migration'] as const,
    logger: new CountingLogger(spec.name),
    maxQueryExecutionTime: 1000,
  };
  let options: DataSourceOptions;
  if (target.kind === 'mysql') {
    options = {
      ...common,
      logging: [...common.logging],
      type: 'mysql',
      url: target.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      connectTimeout: 5000,
      extra: { connectionLimit: 10, enableKeepAlive: true },
    };
  } else {
    if (target.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(target.file)), { recursive: true });
    options = {
      ...common,
      logging: [...common.logging],
      type: 'better-sqlite3',
      database: target.file,
      // Several servers (or processes) share one file: WAL lets readers run beside the writer.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return new DataSource(options);
}

/** Opens the store and brings its schema up to date. */
export async function openDatabase(spec: DataSourceSpec, url?: string): Promise<DataSource> {
  const dataSource = createDataSource(spec, url);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/** Reverts every migration of this store (dropping only its own tables), then migrates afresh. */
export async function resetDatabase(dataSource: DataSource): Promise<void> {
  for (let i = 0; i < dataSource.migrations.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
  await dataSource.runMigrations({ transaction: 'each' });
}

const sqliteTransactions = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in a transaction. On the embedded store TypeORM drives every statement through one
 * SQLite connection, where a second transaction cannot begin while one is open: transactions are
 * queued there, one after another. MySQL gives each transaction a pooled connection of its own.
 */
export function inTransaction<T>(store: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (store.options.type !== 'better-sqlite3') return store.transaction(work);
  const previous = sqliteTransactions.get(store) ?? Promise.resolve();
  const run = previous.then(
    () => store.transaction(work),
    () => store.transaction(work),
  );
  sqliteTransactions.set(store, run.catch(() => undefined));
  return run;
}

/**
 * Errors after which the same write may simply be tried again: a lost race for a unique position
 * (another writer took the next sequence number first), a MySQL deadlock or lock wait, or a SQLite
 * file held by another process's writer (SQLITE_BUSY, including a read snapshot gone stale).
 */
export function isRetryableWriteError(error: unknown): boolean {
  const driver = (error as { driverError?: { code?: unknown } }).driverError;
  const code = String(driver?.code ?? (error as { code?: unknown }).code ?? '');
  return /^(ER_DUP_ENTRY|ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT|SQLITE_BUSY.*|SQLITE_LOCKED.*|SQLITE_CONSTRAINT_UNIQUE|SQLITE_CONSTRAINT_PRIMARYKEY)$/.test(code);
}

export interface AppendOptions {
  /** Tries in all (default 12). */
  attempts?: number;
}

/**
 * Appends at the end of a sequence: runs `work` (which reads the last position and inserts the
 * next) in a transaction, and when another writer — in this process or another — won the race,
 * the store was busy or MySQL chose this transaction as a deadlock victim, runs it again after a
 * short random pause that grows with each try. Any other error is thrown at once. The one loop for
 * every append-only log of the product (audit records, consent records).
 */
export async function appendWithRetry<T>(store: DataSource, work: (tx: EntityManager) => Promise<T>, options: AppendOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 12;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await inTransaction(store, work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableWriteError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
