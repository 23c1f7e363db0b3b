import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../shared/context';
import { isId } from '../shared/ids';
import { loadChildConnection, loadRootConnection } from '../shared/loaders';
import { connectionResolvers, parseWindow, type WindowArgs } from '../shared/pagination';
import { DateTime } from '../shared/scalars';
import type { GeofenceRow, LocationPingRow } from './entities';
import { GEOFENCES, PINGS_OF_USER, type LocationLoaders } from './loaders';

type Context = SubgraphContext<LocationLoaders>;
type Reference = { id?: unknown };


export const locationResolvers: GraphQLResolverMap<Context> = {
  DateTime,
  Query: {
    geofences: (_: unknown, args: WindowArgs, { scope }: Context) => {
      const { first, after } = parseWindow(args);
      return loadRootConnection(scope, GEOFENCES, { first, after });
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
    locations: (user: { id: string }, args: WindowArgs, { scope, loaders }: Context) => {
      const window = parseWindow(args);
      return loadChildConnection(scope, PINGS_OF_USER, loaders.pingsOfUser, loaders.pingCountOfUser, { parentId: user.id, ...window });
    },
  },
  LocationPing: {
    // Runs only where the policy shows whose ping it is (in full or generalized).
    user: (ping: LocationPingRow) => ({ __typename: 'User', id: ping.userId }),
  },
  LocationPingConnection: connectionResolvers,
  GeofenceConnection: connectionResolvers,
};
