import { EntitySchema, Table, type QueryRunner } from 'typeorm';
import { refColumn } from './columns';

/**
 * Exact row counts per tenant, kept by the database itself. Counting a tenant's contacts reads
 * every entry of an index for that tenant: 50,000 entries at 100,000 contacts, on every list that
 * asks for `totalCount`. A counter row per tenant, which insert and delete triggers keep in step
 * in the same transaction as the row, answers the same number in one primary-key read, whoever
 * writes the table (the product, an import, a migration).
 *
 * Cost: each insert or delete also updates its tenant's counter row, so concurrent writers of one
 * tenant's rows queue on that row until they commit. On MySQL, creating triggers needs the
 * TRIGGER privilege and, with binary logging on, SUPER or log_bin_trust_function_creators=1.
 */
export interface TenantCountRow {
  tenantId: string;
  total: number;
}

const counters = new WeakMap<EntitySchema<any>, EntitySchema<TenantCountRow>>();

/** Declares the counter entity of `counted`: TenantScope.count() then reads it for an unfiltered count. */
export function tenantCountEntity(name: string, tableName: string, counted: EntitySchema<any>): EntitySchema<TenantCountRow> {
  const counter = new EntitySchema<TenantCountRow>({
    name,
    tableName,
    columns: { tenantId: { ...refColumn(), primary: true }, total: { type: 'int' } },
  });
  counters.set(counted, counter);
  return counter;
}

/** The counter entity of a counted entity, if it has one. */
export function counterOf(entity: EntitySchema<any>): EntitySchema<TenantCountRow> | undefined {
  return counters.get(entity);
}

export interface CounterSpec {
  /** The counted table. */
  table: string;
  /** The table of counters, one row per tenant. */
  counterTable: string;
}

const triggerName = (spec: CounterSpec, event: string) => `TRG_${spec.table}_count_${event}`;

/** Creates the counter table, fills it from the rows already there, and installs the triggers. */
export async function createTenantCounter(runner: QueryRunner, spec: CounterSpec): Promise<void> {
  const q = (name: string) => runner.connection.driver.escape(name);
  const [table, counter, tenant, total] = [q(spec.table), q(spec.counterTable), q('tenantId'), q('total')];
  await runner.createTable(
    new Table({
      name: spec.counterTable,
      columns: [
        { name: 'tenantId', type: 'varchar', length: '36', isPrimary: true },
        { name: 'total', type: 'int' },
      ],
    }),
  );
  await runner.query(`INSERT INTO ${counter} (${tenant}, ${total}) SELECT ${tenant}, COUNT(*) FROM ${table} GROUP BY ${tenant}`);
  const increment = (row: string) =>
    runner.connection.options.type === 'mysql'
      ? `INSERT INTO ${counter} (${tenant}, ${total}) VALUES (${row}.${tenant}, 1) ON DUPLICATE KEY UPDATE ${total} = ${total} + 1`
      : `INSERT INTO ${counter} (${tenant}, ${total}) VALUES (${row}.${tenant}, 1) ON CONFLICT (${tenant}) DO UPDATE SET ${total} = ${total} + 1`;
  const decrement = (row: string) => `UPDATE ${counter} SET ${total} = ${total} - 1 WHERE ${tenant} = ${row}.${tenant}`;
  const events: [string, string, string[]][] = [
    ['insert', 'AFTER INSERT', [increment('NEW')]],
    ['delete', 'AFTER DELETE', [decrement('OLD')]],
    ['move', `AFTER UPDATE OF ${tenant}`, [decrement('OLD'), increment('NEW')]],
  ];
  for (const [event, timing, body] of events) {
    const name = q(triggerName(spec, event));
    if (runner.connection.options.type === 'mysql') {
      // MySQL has no UPDATE OF column: the trigger fires on every update and acts only on a move.
      const when = event === 'move' ? `IF NOT (OLD.${tenant} <=> NEW.${tenant}) THEN ${body.join('; ')}; END IF` : body.join('; ');
      await runner.query(`CREATE TRIGGER ${name} ${timing.replace(/ OF .*/, '')} ON ${table} FOR EACH ROW BEGIN ${when}; END`);
    } else {
      const when = event === 'move' ? ` WHEN OLD.${tenant} IS NOT NEW.${tenant}` : '';
      await runner.query(`CREATE TRIGGER ${name} ${timing} ON ${table} FOR EACH ROW${when} BEGIN ${body.join('; ')}; END`);
    }
  }
}

export async function dropTenantCounter(runner: QueryRunner, spec: CounterSpec): Promise<void> {
  for (const event of ['insert', 'delete', 'move']) await runner.query(`DROP TRIGGER IF EXISTS ${runner.connection.driver.escape(triggerName(spec, event))}`);
  await runner.dropTable(spec.counterTable);
}
