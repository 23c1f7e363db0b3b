import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';

/**
 * The retention run deletes a tenant's pings older than the retention period, oldest first, a
 * page at a time: this index reads exactly the rows of each page.
 */
export class PingsByAgeLocation1763800000023 implements MigrationInterface {
  name = 'PingsByAgeLocation1763800000023';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('location_pings', new TableIndex({ name: 'IDX_location_pings_tenant_recorded_id', columnNames: ['tenantId', 'recordedAt', 'id'] }));
    await describeLargeTenants(runner, ['location_pings']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('location_pings', 'IDX_location_pings_tenant_recorded_id');
  }
}
