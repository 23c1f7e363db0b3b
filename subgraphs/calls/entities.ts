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
  /** Null once the call is kept anonymized after an erasure. */
  counterpartyNumber: string | null;
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
    counterpartyNumber: textColumn(20, true),
    notes: { type: 'text', nullable: true },
    recordingUrl: textColumn(500, true),
  },
  // The migrations create these; declared here so the entity reads as the table is.
  indices: [
    { name: 'IDX_call_logs_tenant_contact_started_id_user', columns: ['tenantId', 'contactId', 'startedAt', 'id', 'userId'] },
    { name: 'IDX_call_logs_tenant_user_started_id', columns: ['tenantId', 'userId', 'startedAt', 'id'] },
    { name: 'IDX_call_logs_tenant_number', columns: ['tenantId', 'counterpartyNumber'] },
  ],
});

/** A recording of an erased call whose object the media service must delete (an outbox). */
export interface RecordingDeletionRow {
  id: string;
  tenantId: string;
  callId: string;
  /** The storage key of the object, as the call held it. */
  objectKey: string;
  requestedAt: Date;
  /** Set by the media side once the object is gone. */
  deletedAt: Date | null;
}

export const RecordingDeletionEntity = new EntitySchema<RecordingDeletionRow>({
  name: 'RecordingDeletion',
  tableName: 'recording_deletions',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    callId: refColumn(),
    objectKey: textColumn(500),
    requestedAt: dateColumn(),
    deletedAt: dateColumn(true),
  },
  indices: [{ name: 'IDX_recording_deletions_pending', columns: ['deletedAt', 'requestedAt'] }],
});

export const callEntities = [CallLogEntity, RecordingDeletionEntity];
