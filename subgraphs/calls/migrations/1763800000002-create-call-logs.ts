import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableId, tableRef, tableText } from '../../../platform/columns';

export class CreateCallLogs1763800000002 implements MigrationInterface {
  name = 'CreateCallLogs1763800000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'call_logs',
        columns: [
          tableId(),
          tableRef('tenantId'),
          tableRef('contactId', true),
          tableRef('userId'),
          tableText('direction', 16),
          tableDate('startedAt'),
          { name: 'durationSeconds', type: 'int' },
          tableText('disposition', 16),
          tableText('counterpartyNumber', 20),
          { name: 'notes', type: 'text', isNullable: true },
          tableText('recordingUrl', 500, true),
        ],
        indices: [
          { name: 'IDX_call_logs_tenant_contact_started', columnNames: ['tenantId', 'contactId', 'startedAt'] },
          { name: 'IDX_call_logs_tenant_user_started', columnNames: ['tenantId', 'userId', 'startedAt'] },
          { name: 'IDX_call_logs_tenant_started', columnNames: ['tenantId', 'startedAt'] },
          { name: 'IDX_call_logs_tenant_number', columnNames: ['tenantId', 'counterpartyNumber'] },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('call_logs');
  }
}
