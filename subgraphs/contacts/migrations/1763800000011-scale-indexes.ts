import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';
import { createTenantCounter, dropTenantCounter } from '../../../platform/tenant-counters';

/**
 * Indexes that end in the tie-breaker `id`: the contacts list ordered by (name, id), and an
 * owner's contacts ranked per owner by (name, id), are then read in index order, and the cursor
 * of a later page is a seek in the index rather than a walk from the tenant's first contact.
 * `totalCount` of the tenant-wide list reads a per-tenant counter kept by triggers, not the index.
 */
export class ScaleIndexesContacts1763800000011 implements MigrationInterface {
  name = 'ScaleIndexesContacts1763800000011';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('contacts', new TableIndex({ name: 'IDX_contacts_tenant_name_id', columnNames: ['tenantId', 'name', 'id'] }));
    await runner.createIndex('contacts', new TableIndex({ name: 'IDX_contacts_tenant_owner_name_id', columnNames: ['tenantId', 'ownerId', 'name', 'id'] }));
    await runner.dropIndex('contacts', 'IDX_contacts_tenant_name');
    await runner.dropIndex('contacts', 'IDX_contacts_tenant_owner_name');
    await createTenantCounter(runner, { table: 'contacts', counterTable: 'contact_counts' });
    await describeLargeTenants(runner, ['contacts']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropTenantCounter(runner, { table: 'contacts', counterTable: 'contact_counts' });
    await runner.createIndex('contacts', new TableIndex({ name: 'IDX_contacts_tenant_name', columnNames: ['tenantId', 'name'] }));
    await runner.createIndex('contacts', new TableIndex({ name: 'IDX_contacts_tenant_owner_name', columnNames: ['tenantId', 'ownerId', 'name'] }));
    await runner.dropIndex('contacts', 'IDX_contacts_tenant_name_id');
    await runner.dropIndex('contacts', 'IDX_contacts_tenant_owner_name_id');
  }
}
