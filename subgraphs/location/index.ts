import { loadSubgraphTypeDefs } from '../../schema';
import type { SubgraphModule } from '../shared/subgraph';
import { locationInventory } from './inventory';
import { locationSubjects } from './subjects';
import { locationEntities } from './entities';
import { createLocationLoaders, type LocationLoaders } from './loaders';
import { CreateLocation1763800000003 } from './migrations/1763800000003-create-location';
import { ScaleIndexesLocation1763800000013 } from './migrations/1763800000013-scale-indexes';
import { GeofencesByContactAndName1763800000021 } from './migrations/1763800000021-geofences-by-contact-and-name';
import { PingsByAgeLocation1763800000023 } from './migrations/1763800000023-pings-by-age';
import { locationResolvers } from './resolvers';

/** location: device location pings and geofences. */
export const locationSubgraph: SubgraphModule<LocationLoaders> = {
  name: 'location',
  typeDefs: loadSubgraphTypeDefs('location'),
  resolvers: locationResolvers,
  database: { name: 'location', entities: locationEntities, migrations: [CreateLocation1763800000003, ScaleIndexesLocation1763800000013, GeofencesByContactAndName1763800000021, PingsByAgeLocation1763800000023] },
  createLoaders: createLocationLoaders,
  subjects: locationSubjects,
  inventory: locationInventory,
};
