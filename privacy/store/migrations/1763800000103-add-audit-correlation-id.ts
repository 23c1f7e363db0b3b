import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableText } from '../../../platform/columns';

/** The client's x-request-id moves to a column of its own; requestId is the gateway's, unique per request. */
export class AddAuditCorrelationId1763800000103 implements MigrationInterface {
  name = 'AddAuditCorrelationId1763800000103';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('audit_records', new TableColumn(tableText('correlationId', 64, true)));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('audit_records', 'correlationId');
  }
}
