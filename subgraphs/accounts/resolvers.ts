import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../shared/context';
import { isId, parseId } from '../shared/ids';
import { loadChildConnection, loadRootConnection } from '../shared/loaders';
import { connectionResolvers, parseWindow, type WindowArgs } from '../shared/pagination';
import { DateTime } from '../shared/scalars';
import type { TeamRow, TenantRow, UserRow } from './entities';
import { TEAM_MEMBERS, USERS, type AccountLoaders } from './loaders';
import { partnerResolvers } from './partners';
import { statusResolvers } from './status';

type Context = SubgraphContext<AccountLoaders>;
type Reference = { id?: unknown };


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
    users: (_: unknown, args: WindowArgs, { scope }: Context) => {
      const { first, after } = parseWindow(args);
      return loadRootConnection(scope, USERS, { first, after });
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
    members: (team: TeamRow, args: WindowArgs, { scope, loaders }: Context) => {
      const { first, after } = parseWindow(args);
      return loadChildConnection(scope, TEAM_MEMBERS, loaders.teamMembers, loaders.teamMemberCount, { parentId: team.id, first, after });
    },
  },
  Tenant: {
    __resolveReference: (ref: Reference, { loaders }: Context) => (isId(ref.id) ? loaders.tenant.load(ref.id) : null),
    teams: (_tenant: TenantRow, _: unknown, { loaders }: Context) => loaders.teamsOfTenant.load(),
  },
  UserConnection: connectionResolvers,
  Mutation: { ...(partnerResolvers.Mutation as object), ...(statusResolvers.Mutation as object) },
  PartnerApp: partnerResolvers.PartnerApp!,
  PartnerInstallation: partnerResolvers.PartnerInstallation!,
};
