import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableDate, tableText } from '../../../platform/columns';

/**
 * One row per scheduled job (the retention run): who holds it and until when, and when it last
 * completed, so that with several workers on several machines only one runs it at a time.
 */
export class CreateJobLeases1763800000120 implements MigrationInterface {
  name = 'CreateJobLeases1763800000120';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'job_leases',
        columns: [{ ...tableText('job', 64), isPrimary: true }, tableText('holder', 200, true), tableDate('leasedUntil', true), tableDate('lastCompletedAt', true)],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('job_leases');
  }
}
