import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { StoredObjectDrain, StoredObjectHook, SubgraphInventory } from '../../privacy/inventory/types';
import { CallLogEntity, RecordingDeletionEntity } from './entities';

/**
 * There is no object store in this product: recordings are objects of the media service at
 * RECORDINGS_BASE_URL, named by the key a call holds. Erasing a call's recording queues the
 * object's deletion in the `recording_deletions` outbox, in the erasure's own transaction, for
 * the media side to carry out and mark done.
 */
const queueRecordingDeletion: StoredObjectHook = async (tx, tenantId, objects) => {
  if (objects.length === 0) return;
  const requestedAt = new Date();
  await tx.getRepository(RecordingDeletionEntity).insert(objects.map(({ rowId, value }) => ({ id: randomUUID(), tenantId, callId: rowId, objectKey: value, requestedAt, deletedAt: null })));
};

/**
 * The retention run drains the outbox. This product holds no recording objects of its own to
 * delete (the media service does): draining marks each queued deletion done (`deletedAt`), so a
 * media service that keeps recordings must carry out the deletions it is told of before then.
 */
const drainRecordingDeletions: StoredObjectDrain = {
  entity: 'RecordingDeletion',
  drain: async (tx, tenantId, now, limit) => {
    const repository = tx.getRepository(RecordingDeletionEntity);
    const pending = await repository
      .createQueryBuilder('d')
      .select('d.id', 'id')
      .where('d.deletedAt IS NULL')
      .andWhere('d.tenantId = :tenantId', { tenantId })
      .orderBy('d.requestedAt', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    if (pending.length === 0) return 0;
    await repository.update({ tenantId, id: In(pending.map((row) => row.id)) }, { deletedAt: now });
    return pending.length;
  },
};

/**
 * calls: a call log is the calling user's activity, and the contact called is its other party.
 * Records of calls made in the course of business are kept under the controller's legal
 * obligation, so erasing either person keeps the call only anonymized: no number, notes or
 * recording, and the erased person's id replaced by a pseudonym (stable for that person, never
 * theirs). Its direction, time, length and disposition stay: they are what the obligation needs.
 */
export const callsInventory: SubgraphInventory = {
  entities: [
    {
      schema: CallLogEntity,
      graphqlType: 'CallLog',
      engine: { kind: 'CALL_LOG', relatedUser: 'userId' },
      links: [
        { column: 'userId', person: 'USER', role: 'SUBJECT', onErase: 'ANONYMIZE', linkErasure: 'PSEUDONYMIZE' },
        { column: 'contactId', person: 'CONTACT', role: 'COUNTERPART', optional: true, onErase: 'ANONYMIZE', linkErasure: 'PSEUDONYMIZE' },
      ],
      columns: {
        id: {},
        tenantId: {},
        contactId: { category: 'user.device.call_log', field: 'contact', erase: 'KEEP' },
        userId: { category: 'user.device.call_log', field: 'user', erase: 'KEEP' },
        direction: { category: 'user.device.call_log', erase: 'KEEP' },
        startedAt: { category: 'user.device.call_log', erase: 'KEEP' },
        durationSeconds: { category: 'user.device.call_log', erase: 'KEEP' },
        disposition: { category: 'user.device.call_log', erase: 'KEEP' },
        // A known contact's number is that contact's phone; an unknown caller's is no one's we know.
        counterpartyNumber: { category: 'user.device.call_log.number', match: 'phone', of: 'contactId', erase: 'NULL' },
        notes: { category: 'user.device.call_log.notes', erase: 'NULL' },
        recordingUrl: { category: 'user.biometric.voice', erase: 'NULL', object: 'recording' },
      },
      keptBecause:
        'LEGAL_OBLIGATION (GDPR Art. 6(1)(c), Art. 17(3)(b)): business call records are kept for the period the controller must keep them; after an erasure only anonymized (no number, notes or recording; the erased person is a pseudonym)',
      retention: { kind: 'LEGAL_OBLIGATION' },
    },
  ],
  objects: { recording: queueRecordingDeletion },
  objectDrains: { recording: drainRecordingDeletions },
};
