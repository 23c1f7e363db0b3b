import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableId, tableRef, tableText } from '../../../platform/columns';

const epochMs = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const int = (name: string) => ({ name, type: 'int' });
const text = (name: string) => ({ name, type: 'text', isNullable: true });

/** Data-subject rights requests, their steps (the worker's durable queue), export pages and the suppression list. */
export class CreateRightsRequests1763800000110 implements MigrationInterface {
  name = 'CreateRightsRequests1763800000110';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'privacy_requests',
        columns: [
          tableId(),
          tableRef('tenantId'),
          tableText('subjectType', 16),
          tableText('subjectId', 64),
          tableText('type', 24),
          tableText('purpose', 32, true),
          tableText('status', 16),
          tableText('rejectionReason', 64, true),
          tableRef('requestedBy'),
          tableText('requestedByRole', 16),
          tableRef('verifiedBy', true),
          tableRef('approvedBy', true),
          tableRef('executedBy', true),
          text('corrections'),
          text('verification'),
          text('fingerprints'),
          text('result'),
          epochMs('receivedAt'),
          epochMs('dueAt'),
          epochMs('updatedAt'),
          epochMs('completedAt', true),
        ],
        indices: [
          // The excessive-request count: one subject's requests of the last 30 days.
          { name: 'IDX_privacy_requests_subject', columnNames: ['tenantId', 'subjectId', 'receivedAt'] },
          // The DPO's lists: by status and due date.
          { name: 'IDX_privacy_requests_status', columnNames: ['status', 'dueAt'] },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'privacy_request_steps',
        columns: [
          tableId(),
          tableRef('requestId'),
          tableRef('tenantId'),
          int('phase'),
          tableText('subgraph', 32),
          tableText('entity', 64),
          tableText('action', 16),
          tableText('status', 16),
          tableText('cursor', 512, true),
          int('pages'),
          int('attempts'),
          tableText('lastError', 64, true),
          tableText('leaseOwner', 64, true),
          epochMs('leaseExpiresAt', true),
          epochMs('notBefore'),
          text('counts'),
          epochMs('createdAt'),
          epochMs('updatedAt'),
        ],
        indices: [
          { name: 'IDX_privacy_request_steps_claim', columnNames: ['status', 'notBefore'] },
          { name: 'IDX_privacy_request_steps_request', columnNames: ['requestId', 'phase'] },
          // DESCRIBE inserts a subgraph's entity steps once, even when run twice after a lost lease.
          { name: 'UQ_privacy_request_steps_unit', columnNames: ['requestId', 'subgraph', 'entity', 'action'], isUnique: true },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'privacy_export_parts',
        columns: [tableId(), tableRef('requestId'), tableText('subgraph', 32), tableText('entity', 64), int('page'), { name: 'rows', type: 'longtext' }],
        indices: [{ name: 'UQ_privacy_export_parts_page', columnNames: ['requestId', 'subgraph', 'entity', 'page'], isUnique: true }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'suppression_list',
        columns: [{ ...tableText('tenantId', 36), isPrimary: true }, { ...tableText('fingerprint', 64), isPrimary: true }, tableText('kind', 8), tableRef('requestId'), epochMs('recordedAt')],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('suppression_list');
    await runner.dropTable('privacy_export_parts');
    await runner.dropTable('privacy_request_steps');
    await runner.dropTable('privacy_requests');
  }
}
