import type { QueryRunner } from 'typeorm';

/** Rows SQLite is told a table holds, and rows one tenant holds of it. */
const TABLE_ROWS = 10_000_000;
const TENANT_ROWS = 100_000;
/** Rows per value of each further indexed column after the tenant: a parent's children, then ties, then one. */
const FURTHER_COLUMN_ROWS = [10, 2, 1];

/**
 * SQLite plans from the statistics in `sqlite_stat1`, which only ANALYZE writes; without them it
 * assumes that an equality on an index's first column matches about ten rows. To it, then, a
 * tenant is tiny, and walking the whole tenant in index order (to spare a sort) looks cheaper
 * than a few primary-key look-ups: at 100,000 contacts that is the wrong plan by three orders of
 * magnitude. This records, for every index of `tables`, the shape of a large tenant instead
 * (`tenantId` matches 100,000 rows, a parent id about ten, an id one), so the planner picks the
 * same plans for the demo data as for a tenant of any size. Each index is described from its own
 * columns, so a later migration that adds an index calls this again for its table.
 *
 * SQLite only: MySQL and MariaDB keep statistics of their own. A real ANALYZE replaces these rows
 * with measured ones, which at scale say the same.
 */
export async function describeLargeTenants(runner: QueryRunner, tables: readonly string[]): Promise<void> {
  if (runner.connection.options.type !== 'better-sqlite3') return;
  await runner.query('ANALYZE sqlite_schema'); // creates sqlite_stat1 when it does not exist yet
  for (const table of tables) {
    const indexes: { name: string; unique: number }[] = await runner.query(`SELECT name, "unique" FROM pragma_index_list(?)`, [table]);
    for (const index of indexes) {
      const columns: { name: string }[] = await runner.query('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [index.name]);
      await runner.query('DELETE FROM sqlite_stat1 WHERE tbl = ? AND idx = ?', [table, index.name]);
      await runner.query('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)', [table, index.name, statOf(columns.map((c) => c.name), index.unique === 1)]);
    }
  }
  await runner.query('ANALYZE sqlite_schema'); // makes the planner read the statistics again
}

/** `sqlite_stat1.stat`: table rows, then rows per distinct value of each leading prefix of the index. */
function statOf(columns: string[], unique: boolean): string {
  const perPrefix: number[] = [];
  let further = 0;
  for (const [i, column] of columns.entries()) {
    const last = i === columns.length - 1;
    if (unique && last) perPrefix.push(1);
    else if (i === 0 && column === 'tenantId') perPrefix.push(TENANT_ROWS);
    else perPrefix.push(FURTHER_COLUMN_ROWS[Math.min(further++, FURTHER_COLUMN_ROWS.length - 1)]!);
  }
  return [TABLE_ROWS, ...perPrefix].join(' ');
}
