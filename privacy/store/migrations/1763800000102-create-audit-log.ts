import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableId, tableRef, tableText } from '../../../platform/columns';

export class CreateAuditLog1763800000102 implements MigrationInterface {
  name = 'CreateAuditLog1763800000102';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'audit_records',
        columns: [
          tableId(),
          tableRef('tenantId'),
          { name: 'sequence', type: 'bigint' },
          tableDate('recordedAt'),
          tableRef('actorId'),
          tableText('actorRole', 16),
          tableText('purpose', 32),
          tableText('ticketId', 100, true),
          tableText('partnerClientId', 100, true),
          tableText('requestId', 64),
          tableText('service', 32),
          tableText('action', 32),
          { name: 'detail', type: 'text' },
          tableText('prevHash', 64),
          tableText('hash', 64),
        ],
        // One position per tenant chain: two writers racing for it collide here, and the loser retries.
        indices: [{ name: 'UQ_audit_records_chain', columnNames: ['tenantId', 'sequence'], isUnique: true }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'audit_subjects',
        columns: [
          { ...tableId('auditId') },
          tableRef('tenantId'),
          { ...tableText('subjectType', 16), isPrimary: true },
          { ...tableRef('subjectId'), isPrimary: true },
        ],
        indices: [{ name: 'IDX_audit_subjects_subject', columnNames: ['tenantId', 'subjectId'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('audit_subjects');
    await runner.dropTable('audit_records');
  }
}
