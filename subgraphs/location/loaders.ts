import { childCountLoader, childPageLoader, rowLoader, timeRange, type ChildListSpec } from '../shared/loaders';
import type { TenantScope } from '../shared/tenant-scope';
import { GeofenceEntity, LocationPingEntity } from './entities';

export const PING_ORDER = { column: 'recordedAt', direction: 'DESC', kind: 'date' } as const;
export const GEOFENCE_ORDER = { column: 'name', direction: 'ASC', kind: 'string' } as const;
const pingsOfUser: ChildListSpec = {
  parentColumn: 'userId',
  sort: PING_ORDER,
  filterFor: ({ from, to }) => timeRange('recordedAt', from, to),
};

export function createLocationLoaders(scope: TenantScope) {
  return {
    geofence: rowLoader(scope, GeofenceEntity),
    pingsOfUser: childPageLoader(scope, LocationPingEntity, pingsOfUser),
    pingCountOfUser: childCountLoader(scope, LocationPingEntity, pingsOfUser),
  };
}

export type LocationLoaders = ReturnType<typeof createLocationLoaders>;
