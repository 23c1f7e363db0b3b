import { relationTo, type SubjectMappers } from '../../privacy/enforcement/subject';
import type { CallLogRow } from './entities';

/** A call log is the calling user's activity; the contact called is the other party (recording consent). */
export const callSubjects: SubjectMappers = {
  CallLog: (call: CallLogRow, caller) => ({
    kind: 'CALL_LOG',
    relation: relationTo(caller, call.userId),
    consentSubject: { type: 'USER', id: call.userId },
    ...(call.contactId ? { counterpart: { type: 'CONTACT' as const, id: call.contactId } } : {}),
  }),
};
