import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../shared/context';
import { isId } from '../shared/ids';
import { loadChildConnection } from '../shared/loaders';
import { connectionResolvers, parseWindow, toConnection, type WindowArgs } from '../shared/pagination';
import { DateTime } from '../shared/scalars';
import { GeofenceEntity, type GeofenceRow, type LocationPingRow } from './entities';
import { GEOFENCE_ORDER, type LocationLoaders } from './loaders';

type Context = SubgraphContext<LocationLoaders>;
type Reference = { id?: unknown };

const pingCursor = (ping: LocationPingRow): [string, string] => [ping.recordedAt.toISOString(), ping.id];
const geofenceCursor = (fence: GeofenceRow): [string, string] => [fence.name, fence.id];

export const locationResolvers: GraphQLResolverMap<Context> = {
  DateTime,
  Query: {
    geofences: async (_: unknown, args: WindowArgs, { scope }: Context) => {
      const { first, after } = parseWindow(args);
      const rows = await scope.page(GeofenceEntity, { first, after, sort: GEOFENCE_ORDER });
      return toConnection(rows, first, geofenceCursor, () => scope.count(GeofenceEntity));
    },
  },
  Geofence: {
    __resolveReference: (ref: Reference, { loaders }: Context) => (isId(ref.id) ? loaders.geofence.load(ref.id) : null),
    contact: (fence: GeofenceRow) => (fence.contactId ? { __typename: 'Contact', id: fence.contactId } : null),
  },
  User: {
    __resolveReference: (ref: Reference) => (isId(ref.id) ? { id: ref.id } : null),
    lastLocation: async (user: { id: string }, _: unknown, { loaders }: Context) => {
      const [latest] = await loaders.pingsOfUser.load({ parentId: user.id, first: 1 });
      return latest ?? null;
    },
    locations: (user: { id: string }, args: WindowArgs, { loaders }: Context) => {
      const window = parseWindow(args);
      return loadChildConnection(loaders.pingsOfUser, loaders.pingCountOfUser, { parentId: user.id, ...window }, pingCursor);
    },
  },
  LocationPingConnection: connectionResolvers,
  GeofenceConnection: connectionResolvers,
};
