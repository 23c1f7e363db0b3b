import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';

/**
 * Since when a user account is in its status: a suspended account is closed 45 days after its
 * suspension, a closed one purged 45 days after its closing (the retention run). Existing
 * accounts count from their creation. Plain ADD COLUMN on both stores: TypeORM's addColumn
 * rebuilds a SQLite table, which would drop the triggers of the tenant counters. The index serves
 * the retention run (a tenant's suspended or closed accounts) and lists that show expired
 * accounts after the others, by id.
 */
export class AddUserStatusSince1763800000022 implements MigrationInterface {
  name = 'AddUserStatusSince1763800000022';

  async up(runner: QueryRunner): Promise<void> {
    const q = (name: string) => runner.connection.driver.escape(name);
    await runner.query(`ALTER TABLE ${q('users')} ADD COLUMN ${q('statusSince')} datetime NULL`);
    await runner.query(`UPDATE ${q('users')} SET ${q('statusSince')} = ${q('createdAt')}`);
    await runner.createIndex('users', new TableIndex({ name: 'IDX_users_tenant_status_id', columnNames: ['tenantId', 'status', 'id'] }));
    await describeLargeTenants(runner, ['users']);
  }

  async down(runner: QueryRunner): Promise<void> {
    const q = (name: string) => runner.connection.driver.escape(name);
    await runner.dropIndex('users', 'IDX_users_tenant_status_id');
    await runner.query(`ALTER TABLE ${q('users')} DROP COLUMN ${q('statusSince')}`);
  }
}
