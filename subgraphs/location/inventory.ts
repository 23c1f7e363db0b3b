import type { SubgraphInventory } from '../../privacy/inventory/types';
import { GeofenceEntity, LocationPingEntity } from './entities';

/**
 * location: a ping is where one user was; a geofence that marks a contact's site is that
 * contact's address (its name, centre and link), one that marks no site is about no one.
 * Geofences record no creator, so erasing a user leaves them alone.
 */
export const locationInventory: SubgraphInventory = {
  entities: [
    {
      schema: LocationPingEntity,
      graphqlType: 'LocationPing',
      engine: { kind: 'LOCATION', relatedUser: 'userId' },
      links: [{ column: 'userId', person: 'USER', role: 'SUBJECT', onErase: 'DELETE_ROW' }],
      columns: {
        id: { field: null },
        tenantId: {},
        userId: { category: 'user.location.precise', field: 'user' },
        latitude: { category: 'user.location.precise' },
        longitude: { category: 'user.location.precise' },
        accuracyMeters: { category: 'user.location.precise' },
        recordedAt: { category: 'user.location.precise' },
      },
      retention: { kind: 'AGE', column: 'recordedAt', days: 90, setting: 'LOCATION_RETENTION_DAYS' },
    },
    {
      schema: GeofenceEntity,
      graphqlType: 'Geofence',
      // This subgraph holds neither the contact's owner nor their age: the caller's relation is the
      // least close one (SAME_TENANT), and the contact is taken as possibly a child.
      engine: { kind: 'CONTACT', ageUnknown: true },
      links: [{ column: 'contactId', person: 'CONTACT', role: 'SUBJECT', optional: true, onErase: 'DELETE_ROW' }],
      columns: {
        id: {},
        tenantId: {},
        name: { category: 'user.contact.address', match: 'text' },
        latitude: { category: 'user.contact.address' },
        longitude: { category: 'user.contact.address' },
        radiusMeters: {},
        contactId: { category: 'user.contact.address', field: 'contact' },
      },
      retention: { kind: 'WHILE_NEEDED' },
    },
  ],
};
