import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';

/**
 * A contact's calls are listed only where the call's link to the contact is shown, and that
 * decision reads the call's user (their relation to the caller; an expired account's calls are
 * withheld): the contact's index carries `userId` after `id`, so each contact's page is read from
 * the index alone, without fetching every candidate call to test its user.
 */
export class ContactCallsCoveringIndex1763800000022 implements MigrationInterface {
  name = 'ContactCallsCoveringIndex1763800000022';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('call_logs', new TableIndex({ name: 'IDX_call_logs_tenant_contact_started_id_user', columnNames: ['tenantId', 'contactId', 'startedAt', 'id', 'userId'] }));
    await runner.dropIndex('call_logs', 'IDX_call_logs_tenant_contact_started_id');
    await describeLargeTenants(runner, ['call_logs']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.createIndex('call_logs', new TableIndex({ name: 'IDX_call_logs_tenant_contact_started_id', columnNames: ['tenantId', 'contactId', 'startedAt', 'id'] }));
    await runner.dropIndex('call_logs', 'IDX_call_logs_tenant_contact_started_id_user');
  }
}
