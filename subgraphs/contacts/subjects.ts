import type { SubjectSpecs } from '../../privacy/enforcement/subject';

/** A contact is its own subject; the caller relates to it through its owner and owning team. */
export const contactSubjects: SubjectSpecs = {
  Contact: { kind: 'CONTACT', person: { type: 'CONTACT', column: 'id' }, relatedUser: 'ownerId', team: 'teamId', birthDate: 'birthDate' },
};
