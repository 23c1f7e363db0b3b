import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';
import { createTenantCounter, dropTenantCounter } from '../../../platform/tenant-counters';

/**
 * A user's pings ranked newest first by (recordedAt, id) are read in index order, and only from
 * the index; geofences listed by (name, id) likewise, with a later page's cursor a seek.
 * `totalCount` of the tenant-wide list reads a per-tenant counter kept by triggers, not the index.
 */
export class ScaleIndexesLocation1763800000013 implements MigrationInterface {
  name = 'ScaleIndexesLocation1763800000013';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('location_pings', new TableIndex({ name: 'IDX_location_pings_tenant_user_recorded_id', columnNames: ['tenantId', 'userId', 'recordedAt', 'id'] }));
    await runner.createIndex('geofences', new TableIndex({ name: 'IDX_geofences_tenant_name_id', columnNames: ['tenantId', 'name', 'id'] }));
    await runner.dropIndex('location_pings', 'IDX_location_pings_tenant_user_recorded');
    await runner.dropIndex('geofences', 'IDX_geofences_tenant_name');
    await createTenantCounter(runner, { table: 'geofences', counterTable: 'geofence_counts' });
    await describeLargeTenants(runner, ['location_pings', 'geofences']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropTenantCounter(runner, { table: 'geofences', counterTable: 'geofence_counts' });
    await runner.createIndex('location_pings', new TableIndex({ name: 'IDX_location_pings_tenant_user_recorded', columnNames: ['tenantId', 'userId', 'recordedAt'] }));
    await runner.createIndex('geofences', new TableIndex({ name: 'IDX_geofences_tenant_name', columnNames: ['tenantId', 'name'] }));
    await runner.dropIndex('location_pings', 'IDX_location_pings_tenant_user_recorded_id');
    await runner.dropIndex('geofences', 'IDX_geofences_tenant_name_id');
  }
}
