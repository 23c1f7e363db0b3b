import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableId, tableRef, tableText } from '../../../platform/columns';
import { describeLargeTenants } from '../../../platform/sqlite-planner';

/**
 * Erasure keeps a call log only anonymized: its number goes, so the column may be null. The
 * recordings of erased calls live in the media service; their deletion is queued in an outbox the
 * media side (or the retention run) drains, written in the erasure's own transaction.
 */
export class RightsErasureCalls1763800000014 implements MigrationInterface {
  name = 'RightsErasureCalls1763800000014';

  async up(runner: QueryRunner): Promise<void> {
    await runner.changeColumn('call_logs', 'counterpartyNumber', new TableColumn(tableText('counterpartyNumber', 20, true)));
    // SQLite rebuilds the table for that change, which drops its planner statistics: described again.
    await describeLargeTenants(runner, ['call_logs']);
    await runner.createTable(
      new Table({
        name: 'recording_deletions',
        columns: [tableId(), tableRef('tenantId'), tableRef('callId'), tableText('objectKey', 500), tableDate('requestedAt'), tableDate('deletedAt', true)],
        indices: [{ name: 'IDX_recording_deletions_pending', columnNames: ['deletedAt', 'requestedAt'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('recording_deletions');
    await runner.query(`UPDATE ${runner.connection.driver.escape('call_logs')} SET ${runner.connection.driver.escape('counterpartyNumber')} = '' WHERE ${runner.connection.driver.escape('counterpartyNumber')} IS NULL`);
    await runner.changeColumn('call_logs', 'counterpartyNumber', new TableColumn(tableText('counterpartyNumber', 20)));
  }
}
