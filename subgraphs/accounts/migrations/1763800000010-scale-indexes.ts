import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';
import { createTenantCounter, dropTenantCounter } from '../../../platform/tenant-counters';

/**
 * Indexes that end in the tie-breaker `id`: a page ordered by (name, id), and a team's members
 * ranked per team by (name, id), are then read in index order, and the cursor of a later page is a
 * seek in the index rather than a walk from the tenant's first row.
 * `totalCount` of the tenant-wide list reads a per-tenant counter kept by triggers, not the index.
 */
export class ScaleIndexesAccounts1763800000010 implements MigrationInterface {
  name = 'ScaleIndexesAccounts1763800000010';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('users', new TableIndex({ name: 'IDX_users_tenant_name_id', columnNames: ['tenantId', 'name', 'id'] }));
    await runner.createIndex('users', new TableIndex({ name: 'IDX_users_tenant_team_name_id', columnNames: ['tenantId', 'teamId', 'name', 'id'] }));
    await runner.dropIndex('users', 'IDX_users_tenant_name');
    await runner.dropIndex('users', 'IDX_users_tenant_team_name');
    await createTenantCounter(runner, { table: 'users', counterTable: 'user_counts' });
    await describeLargeTenants(runner, ['tenants', 'teams', 'users']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropTenantCounter(runner, { table: 'users', counterTable: 'user_counts' });
    await runner.createIndex('users', new TableIndex({ name: 'IDX_users_tenant_name', columnNames: ['tenantId', 'name'] }));
    await runner.createIndex('users', new TableIndex({ name: 'IDX_users_tenant_team_name', columnNames: ['tenantId', 'teamId', 'name'] }));
    await runner.dropIndex('users', 'IDX_users_tenant_name_id');
    await runner.dropIndex('users', 'IDX_users_tenant_team_name_id');
  }
}
