import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';

/**
 * A contact's or a user's calls ranked newest first by (startedAt, id) are read in index order,
 * and only from the index: it ends in `id`, the one column the ranking returns. The tenant-wide
 * (tenantId, startedAt) index served no statement, and it drew the planner into walking every
 * call of the tenant to spare a sort: it is dropped.
 */
export class ScaleIndexesCalls1763800000012 implements MigrationInterface {
  name = 'ScaleIndexesCalls1763800000012';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('call_logs', new TableIndex({ name: 'IDX_call_logs_tenant_contact_started_id', columnNames: ['tenantId', 'contactId', 'startedAt', 'id'] }));
    await runner.createIndex('call_logs', new TableIndex({ name: 'IDX_call_logs_tenant_user_started_id', columnNames: ['tenantId', 'userId', 'startedAt', 'id'] }));
    await runner.dropIndex('call_logs', 'IDX_call_logs_tenant_contact_started');
    await runner.dropIndex('call_logs', 'IDX_call_logs_tenant_user_started');
    await runner.dropIndex('call_logs', 'IDX_call_logs_tenant_started');
    await describeLargeTenants(runner, ['call_logs']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.createIndex('call_logs', new TableIndex({ name: 'IDX_call_logs_tenant_contact_started', columnNames: ['tenantId', 'contactId', 'startedAt'] }));
    await runner.createIndex('call_logs', new TableIndex({ name: 'IDX_call_logs_tenant_user_started', columnNames: ['tenantId', 'userId', 'startedAt'] }));
    await runner.createIndex('call_logs', new TableIndex({ name: 'IDX_call_logs_tenant_started', columnNames: ['tenantId', 'startedAt'] }));
    await runner.dropIndex('call_logs', 'IDX_call_logs_tenant_contact_started_id');
    await runner.dropIndex('call_logs', 'IDX_call_logs_tenant_user_started_id');
  }
}
