import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableId, tableRef, tableText } from '../../../platform/columns';

export class CreateContacts1763800000001 implements MigrationInterface {
  name = 'CreateContacts1763800000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'contacts',
        columns: [
          tableId(),
          tableRef('tenantId'),
          tableRef('ownerId', true),
          tableText('name', 200),
          tableText('email', 254, true),
          tableText('phone', 20, true),
          tableText('company', 200, true),
          tableText('address', 500, true),
          tableText('source', 16),
          tableText('stage', 16),
          tableDate('lastSpokenAt', true),
          tableDate('createdAt'),
          tableDate('updatedAt'),
        ],
        indices: [
          { name: 'IDX_contacts_tenant_name', columnNames: ['tenantId', 'name'] },
          { name: 'IDX_contacts_tenant_owner_name', columnNames: ['tenantId', 'ownerId', 'name'] },
          { name: 'IDX_contacts_tenant_phone', columnNames: ['tenantId', 'phone'] },
          { name: 'IDX_contacts_tenant_email', columnNames: ['tenantId', 'email'] },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('contacts');
  }
}
