import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../shared/context';
import { isId, parseId } from '../shared/ids';
import { loadChildConnection } from '../shared/loaders';
import { connectionResolvers, parseWindow, toConnection, type WindowArgs } from '../shared/pagination';
import { DateTime } from '../shared/scalars';
import { UserEntity, type TeamRow, type TenantRow, type UserRow } from './entities';
import { USER_ORDER, type AccountLoaders } from './loaders';
import { partnerResolvers } from './partners';

type Context = SubgraphContext<AccountLoaders>;
type Reference = { id?: unknown };

const userCursor = (user: UserRow): [string, string] => [user.name, user.id];

export const accountResolvers: GraphQLResolverMap<Context> = {
  DateTime,
  Query: {
    ...(partnerResolvers.Query as object),
    caller: (_: unknown, __: unknown, { caller, loaders }: Context) => ({
      ...caller,
      user: () => loaders.user.load(caller.userId),
      tenant: () => loaders.tenant.load(caller.tenantId),
    }),
    me: (_: unknown, __: unknown, { caller, loaders }: Context) => loaders.user.load(caller.userId),
    user: (_: unknown, args: { id: unknown }, { loaders }: Context) => loaders.user.load(parseId(args.id)),
    users: async (_: unknown, args: WindowArgs, { scope }: Context) => {
      const { first, after } = parseWindow(args);
      const rows = await scope.page(UserEntity, { first, after, sort: USER_ORDER });
      return toConnection(rows, first, userCursor, () => scope.count(UserEntity));
    },
    tenant: (_: unknown, __: unknown, { caller, loaders }: Context) => loaders.tenant.load(caller.tenantId),
  },
  User: {
    __resolveReference: (ref: Reference, { loaders }: Context) => (isId(ref.id) ? loaders.user.load(ref.id) : null),
    team: (user: UserRow, _: unknown, { loaders }: Context) => (user.teamId ? loaders.team.load(user.teamId) : null),
    tenant: (user: UserRow, _: unknown, { loaders }: Context) => loaders.tenant.load(user.tenantId),
  },
  Team: {
    __resolveReference: (ref: Reference, { loaders }: Context) => (isId(ref.id) ? loaders.team.load(ref.id) : null),
    tenant: (team: TeamRow, _: unknown, { loaders }: Context) => loaders.tenant.load(team.tenantId),
    members: (team: TeamRow, args: WindowArgs, { loaders }: Context) => {
      const { first, after } = parseWindow(args);
      return loadChildConnection(loaders.teamMembers, loaders.teamMemberCount, { parentId: team.id, first, after }, userCursor);
    },
  },
  Tenant: {
    __resolveReference: (ref: Reference, { loaders }: Context) => (isId(ref.id) ? loaders.tenant.load(ref.id) : null),
    teams: (_tenant: TenantRow, _: unknown, { loaders }: Context) => loaders.teamsOfTenant.load(),
  },
  UserConnection: connectionResolvers,
  Mutation: partnerResolvers.Mutation!,
  PartnerApp: partnerResolvers.PartnerApp!,
  PartnerInstallation: partnerResolvers.PartnerInstallation!,
};
