import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';

/**
 * Geofences listed by name when some of them (those at a contact's site) show their name only
 * masked: the fences of no one are read in (name, id) order from this index, then the others by id.
 */
export class GeofencesByContactAndName1763800000021 implements MigrationInterface {
  name = 'GeofencesByContactAndName1763800000021';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('geofences', new TableIndex({ name: 'IDX_geofences_tenant_contact_name_id', columnNames: ['tenantId', 'contactId', 'name', 'id'] }));
    await runner.dropIndex('geofences', 'IDX_geofences_tenant_contact');
    await describeLargeTenants(runner, ['geofences']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.createIndex('geofences', new TableIndex({ name: 'IDX_geofences_tenant_contact', columnNames: ['tenantId', 'contactId'] }));
    await runner.dropIndex('geofences', 'IDX_geofences_tenant_contact_name_id');
  }
}
