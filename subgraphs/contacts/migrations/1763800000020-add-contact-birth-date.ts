import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';

/**
 * A contact's birth date, when known: the privacy policy protects a contact under 16 as a child.
 * Plain ADD COLUMN on both stores: TypeORM's addColumn rebuilds a SQLite table, which would drop
 * the triggers that keep the tenant counters (platform/tenant-counters.ts). The index serves the
 * children of a tenant, which a list shows after the others (by id) since their names are masked.
 */
export class AddContactBirthDate1763800000020 implements MigrationInterface {
  name = 'AddContactBirthDate1763800000020';

  async up(runner: QueryRunner): Promise<void> {
    const q = (name: string) => runner.connection.driver.escape(name);
    await runner.query(`ALTER TABLE ${q('contacts')} ADD COLUMN ${q('birthDate')} varchar(10) NULL`);
    await runner.createIndex('contacts', new TableIndex({ name: 'IDX_contacts_tenant_birth_date', columnNames: ['tenantId', 'birthDate'] }));
    await describeLargeTenants(runner, ['contacts']);
  }

  async down(runner: QueryRunner): Promise<void> {
    const q = (name: string) => runner.connection.driver.escape(name);
    await runner.dropIndex('contacts', 'IDX_contacts_tenant_birth_date');
    await runner.query(`ALTER TABLE ${q('contacts')} DROP COLUMN ${q('birthDate')}`);
  }
}
