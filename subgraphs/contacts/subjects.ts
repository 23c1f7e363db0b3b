import { relationTo, type SubjectMappers } from '../../privacy/enforcement/subject';
import type { ContactRow } from './entities';

/** A contact is its own subject; the caller relates to it through its owner and owning team. */
export const contactSubjects: SubjectMappers = {
  Contact: (contact: ContactRow, caller) => ({
    kind: 'CONTACT',
    relation: relationTo(caller, contact.ownerId, contact.teamId),
    consentSubject: { type: 'CONTACT', id: contact.id },
  }),
};
