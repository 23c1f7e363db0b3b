import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableId, tableRef, tableText } from '../../../platform/columns';

export class CreatePartnerRegistry1763800000100 implements MigrationInterface {
  name = 'CreatePartnerRegistry1763800000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'partner_apps',
        columns: [
          { name: 'clientId', type: 'varchar', length: '100', isPrimary: true },
          tableText('name', 200),
          tableText('allowedScopes', 500),
          tableText('kind', 16),
          tableDate('createdAt'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'partner_installations',
        columns: [
          tableId(),
          tableRef('tenantId'),
          tableText('clientId', 100),
          tableText('scopes', 500),
          tableRef('installedBy'),
          tableDate('installedAt'),
          tableDate('uninstalledAt', true),
        ],
        indices: [{ name: 'IDX_partner_installations_tenant_client', columnNames: ['tenantId', 'clientId', 'uninstalledAt'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('partner_installations');
    await runner.dropTable('partner_apps');
  }
}
