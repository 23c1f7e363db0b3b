import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableRef, tableText } from '../../../platform/columns';

/** Restrictions and objections in force, keyed so that a request reads a whole tenant's in one range. */
export class CreateProcessingControls1763800000105 implements MigrationInterface {
  name = 'CreateProcessingControls1763800000105';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'processing_controls',
        columns: [
          { ...tableText('tenantId', 36), isPrimary: true },
          { ...tableText('subjectType', 16), isPrimary: true },
          { ...tableText('subjectId', 36), isPrimary: true },
          { ...tableText('control', 16), isPrimary: true },
          { ...tableText('purpose', 32), isPrimary: true },
          tableRef('requestId', true),
          tableRef('recordedBy'),
          tableDate('recordedAt'),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('processing_controls');
  }
}
