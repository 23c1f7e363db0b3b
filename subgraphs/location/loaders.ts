import { childCountLoader, childPageLoader, rowLoader } from '../shared/loaders';
import type { ListSpec } from '../shared/lists';
import type { TenantScope } from '../shared/tenant-scope';
import { GeofenceEntity, LocationPingEntity, type GeofenceRow, type LocationPingRow } from './entities';

/** A user's pings, newest first: each is that user's whereabouts, listed only where the caller is shown whose they are. */
export const PINGS_OF_USER: ListSpec<LocationPingRow> = {
  entity: LocationPingEntity,
  type: 'LocationPing',
  sort: { field: 'recordedAt', direction: 'DESC' },
  parent: { column: 'userId', link: 'user', isPerson: 'USER' },
  range: 'recordedAt',
};
/** The tenant's geofences, by name. */
export const GEOFENCES: ListSpec<GeofenceRow> = { entity: GeofenceEntity, type: 'Geofence', sort: { field: 'name', direction: 'ASC' } };

export function createLocationLoaders(scope: TenantScope) {
  return {
    geofence: rowLoader(scope, GeofenceEntity),
    pingsOfUser: childPageLoader(scope, PINGS_OF_USER),
    pingCountOfUser: childCountLoader(scope, PINGS_OF_USER),
  };
}

export type LocationLoaders = ReturnType<typeof createLocationLoaders>;
