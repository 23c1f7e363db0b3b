import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableId } from '../../../platform/columns';

/**
 * One row per tenant that appending to its audit chain locks first (MySQL). Locking the chain's
 * last record directly takes gap locks that two writers can both hold, and each then waits for
 * the other's to insert: a deadlock. A lock on one existing row has no gap, so writers queue.
 */
export class CreateAuditChainLocks1763800000104 implements MigrationInterface {
  name = 'CreateAuditChainLocks1763800000104';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(new Table({ name: 'audit_chain_locks', columns: [tableId('tenantId')] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('audit_chain_locks');
  }
}
