import { EntitySchema } from 'typeorm';
import { dateColumn, idColumn, refColumn, textColumn } from '../../platform/columns';

export type CallDirection = 'INBOUND' | 'OUTBOUND';
export type CallDisposition = 'CONNECTED' | 'NO_ANSWER' | 'BUSY' | 'VOICEMAIL' | 'FAILED';

export interface CallLogRow {
  id: string;
  tenantId: string;
  /** Null when the number belongs to no contact (an unknown caller). */
  contactId: string | null;
  userId: string;
  direction: CallDirection;
  startedAt: Date;
  durationSeconds: number;
  disposition: CallDisposition;
  counterpartyNumber: string;
  notes: string | null;
  recordingUrl: string | null;
}

export const CallLogEntity = new EntitySchema<CallLogRow>({
  name: 'CallLog',
  tableName: 'call_logs',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    contactId: refColumn(true),
    userId: refColumn(),
    direction: textColumn(16),
    startedAt: dateColumn(),
    durationSeconds: { type: 'int' },
    disposition: textColumn(16),
    counterpartyNumber: textColumn(20),
    notes: { type: 'text', nullable: true },
    recordingUrl: textColumn(500, true),
  },
  // The migrations create these; declared here so the entity reads as the table is.
  indices: [
    { name: 'IDX_call_logs_tenant_contact_started_id', columns: ['tenantId', 'contactId', 'startedAt', 'id'] },
    { name: 'IDX_call_logs_tenant_user_started_id', columns: ['tenantId', 'userId', 'startedAt', 'id'] },
    { name: 'IDX_call_logs_tenant_number', columns: ['tenantId', 'counterpartyNumber'] },
  ],
});

export const callEntities = [CallLogEntity];
