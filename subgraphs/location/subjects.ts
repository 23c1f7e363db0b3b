import { relationTo, type SubjectMappers } from '../../privacy/enforcement/subject';
import type { LocationPingRow } from './entities';

/** A location ping is where that user was. */
export const locationSubjects: SubjectMappers = {
  LocationPing: (ping: LocationPingRow, caller) => ({
    kind: 'LOCATION',
    relation: relationTo(caller, ping.userId),
    consentSubject: { type: 'USER', id: ping.userId },
  }),
};
