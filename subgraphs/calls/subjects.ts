import type { SubjectSpecs } from '../../privacy/enforcement/subject';

/** A call log is the calling user's activity (calls carry no team); the contact called is the other party (recording consent). */
export const callSubjects: SubjectSpecs = {
  CallLog: { kind: 'CALL_LOG', person: { type: 'USER', column: 'userId' }, relatedUser: 'userId', counterpart: { type: 'CONTACT', column: 'contactId' } },
};
