import { relationTo, type SubjectMappers } from '../../privacy/enforcement/subject';
import type { UserRow } from './entities';

/** A user's profile is about that user. */
export const accountSubjects: SubjectMappers = {
  User: (user: UserRow, caller, partnerInstaller) => ({
    kind: 'USER',
    relation: relationTo(caller, user.id, user.teamId),
    consentSubject: { type: 'USER', id: user.id },
    installedCallerApp: partnerInstaller === user.id,
  }),
};
