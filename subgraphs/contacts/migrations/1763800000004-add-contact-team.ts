import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The owning team of a contact: the privacy policy gives a rep's team its contacts in full. */
export class AddContactTeam1763800000004 implements MigrationInterface {
  name = 'AddContactTeam1763800000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('contacts', new TableColumn({ name: 'teamId', type: 'varchar', length: '36', isNullable: true }));
    await runner.createIndex('contacts', new TableIndex({ name: 'IDX_contacts_tenant_team', columnNames: ['tenantId', 'teamId'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('contacts', 'IDX_contacts_tenant_team');
    await runner.dropColumn('contacts', 'teamId');
  }
}
