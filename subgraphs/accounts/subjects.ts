import type { SubjectSpecs } from '../../privacy/enforcement/subject';

/** A user's profile is about that user; colleagues relate through the user's team. */
export const accountSubjects: SubjectSpecs = {
  User: { kind: 'USER', person: { type: 'USER', column: 'id' }, relatedUser: 'id', team: 'teamId', installer: 'id' },
};
