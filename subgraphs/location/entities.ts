import { EntitySchema } from 'typeorm';
import { tenantCountEntity } from '../../platform/tenant-counters';
import { dateColumn, idColumn, refColumn, textColumn } from '../../platform/columns';

export interface LocationPingRow {
  id: string;
  tenantId: string;
  userId: string;
  latitude: number;
  longitude: number;
  accuracyMeters: number | null;
  recordedAt: Date;
}

export interface GeofenceRow {
  id: string;
  tenantId: string;
  name: string;
  latitude: number;
  longitude: number;
  radiusMeters: number;
  contactId: string | null;
}

export const LocationPingEntity = new EntitySchema<LocationPingRow>({
  name: 'LocationPing',
  tableName: 'location_pings',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    userId: refColumn(),
    latitude: { type: 'double' },
    longitude: { type: 'double' },
    accuracyMeters: { type: 'double', nullable: true },
    recordedAt: dateColumn(),
  },
  // The migrations create these; declared here so the entity reads as the table is.
  indices: [
    { name: 'IDX_location_pings_tenant_user_recorded_id', columns: ['tenantId', 'userId', 'recordedAt', 'id'] },
    { name: 'IDX_location_pings_tenant_recorded_id', columns: ['tenantId', 'recordedAt', 'id'] },
  ],
});

export const GeofenceEntity = new EntitySchema<GeofenceRow>({
  name: 'Geofence',
  tableName: 'geofences',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    name: textColumn(200),
    latitude: { type: 'double' },
    longitude: { type: 'double' },
    radiusMeters: { type: 'int' },
    contactId: refColumn(true),
  },
  // The migrations create these; declared here so the entity reads as the table is.
  indices: [
    { name: 'IDX_geofences_tenant_name_id', columns: ['tenantId', 'name', 'id'] },
    { name: 'IDX_geofences_tenant_contact_name_id', columns: ['tenantId', 'contactId', 'name', 'id'] },
  ],
});

/** Exact geofence count per tenant, kept by triggers: `totalCount` without a scan. */
export const GeofenceCountEntity = tenantCountEntity('GeofenceCount', 'geofence_counts', GeofenceEntity);

export const locationEntities = [LocationPingEntity, GeofenceEntity, GeofenceCountEntity];
