import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableId, tableRef, tableText } from '../../../platform/columns';

export class CreateConsentRecords1763800000101 implements MigrationInterface {
  name = 'CreateConsentRecords1763800000101';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'consent_records',
        columns: [
          tableId(),
          tableRef('tenantId'),
          tableText('subjectType', 16),
          tableRef('subjectId'),
          tableText('purpose', 32),
          tableText('status', 16),
          tableText('basis', 32),
          tableText('source', 64),
          tableRef('recordedBy'),
          tableDate('recordedAt'),
          { name: 'sequence', type: 'bigint' },
        ],
        indices: [
          { name: 'IDX_consent_records_tenant_subject', columnNames: ['tenantId', 'subjectId', 'sequence'] },
          { name: 'UQ_consent_records_sequence', columnNames: ['sequence'], isUnique: true },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('consent_records');
  }
}
