import type { SubjectSpecs } from '../../privacy/enforcement/subject';

export const locationSubjects: SubjectSpecs = {
  /** A location ping is where that user was. */
  LocationPing: { kind: 'LOCATION', person: { type: 'USER', column: 'userId' }, relatedUser: 'userId' },
  /**
   * A geofence that marks a contact's site says where that contact is: its name, centre and link
   * to the contact are the contact's address; one that marks no one's site is about no one. This
   * subgraph holds neither the contact's owner nor their age, so the caller's relation to that
   * contact is taken as the least close one (SAME_TENANT), and the contact as possibly a child.
   */
  Geofence: { kind: 'CONTACT', person: { type: 'CONTACT', column: 'contactId', optional: true }, ageUnknown: true },
};
