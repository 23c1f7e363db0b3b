import { Table, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableId, tableRef, tableText } from '../../../platform/columns';

export class CreateAccounts1763800000000 implements MigrationInterface {
  name = 'CreateAccounts1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'tenants',
        columns: [tableId(), tableText('name', 200), tableText('emailDomain', 253), tableDate('createdAt')],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'teams',
        columns: [tableId(), tableRef('tenantId'), tableText('name', 200)],
        indices: [{ name: 'IDX_teams_tenant_name', columnNames: ['tenantId', 'name'] }],
        foreignKeys: [new TableForeignKey({ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'users',
        columns: [
          tableId(),
          tableRef('tenantId'),
          tableRef('teamId', true),
          tableText('name', 200),
          tableText('email', 254),
          tableText('phone', 20, true),
          tableText('title', 120, true),
          tableText('timezone', 64),
          tableText('language', 35),
          tableText('status', 16),
          tableDate('createdAt'),
        ],
        indices: [
          { name: 'IDX_users_tenant_name', columnNames: ['tenantId', 'name'] },
          { name: 'IDX_users_tenant_team_name', columnNames: ['tenantId', 'teamId', 'name'] },
          { name: 'UQ_users_tenant_email', columnNames: ['tenantId', 'email'], isUnique: true },
          { name: 'IDX_users_tenant_phone', columnNames: ['tenantId', 'phone'] },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['tenantId'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }),
          new TableForeignKey({ columnNames: ['teamId'], referencedTableName: 'teams', referencedColumnNames: ['id'] }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('users');
    await runner.dropTable('teams');
    await runner.dropTable('tenants');
  }
}
