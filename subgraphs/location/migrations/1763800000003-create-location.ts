import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableId, tableRef, tableText } from '../../../platform/columns';

export class CreateLocation1763800000003 implements MigrationInterface {
  name = 'CreateLocation1763800000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'location_pings',
        columns: [
          tableId(),
          tableRef('tenantId'),
          tableRef('userId'),
          { name: 'latitude', type: 'double' },
          { name: 'longitude', type: 'double' },
          { name: 'accuracyMeters', type: 'double', isNullable: true },
          tableDate('recordedAt'),
        ],
        indices: [{ name: 'IDX_location_pings_tenant_user_recorded', columnNames: ['tenantId', 'userId', 'recordedAt'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'geofences',
        columns: [
          tableId(),
          tableRef('tenantId'),
          tableText('name', 200),
          { name: 'latitude', type: 'double' },
          { name: 'longitude', type: 'double' },
          { name: 'radiusMeters', type: 'int' },
          tableRef('contactId', true),
        ],
        indices: [
          { name: 'IDX_geofences_tenant_name', columnNames: ['tenantId', 'name'] },
          { name: 'IDX_geofences_tenant_contact', columnNames: ['tenantId', 'contactId'] },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('geofences');
    await runner.dropTable('location_pings');
  }
}
