import type { TenantScope } from '../shared/tenant-scope';
import { childCountLoader, childPageLoader, rowLoader } from '../shared/loaders';
import type { ListSpec } from '../shared/lists';
import { TeamEntity, TenantEntity, UserEntity, type UserRow } from './entities';

/** The tenant's users, by name. */
export const USERS: ListSpec<UserRow> = { entity: UserEntity, type: 'User', sort: { field: 'name', direction: 'ASC' } };
/** A team's members, by name. */
export const TEAM_MEMBERS: ListSpec<UserRow> = { ...USERS, parent: { column: 'teamId' } };

export function createAccountLoaders(scope: TenantScope) {
  return {
    user: rowLoader(scope, UserEntity),
    team: rowLoader(scope, TeamEntity),
    tenant: rowLoader(scope, TenantEntity),
    teamsOfTenant: rowsOfTenantLoader(scope),
    teamMembers: childPageLoader(scope, TEAM_MEMBERS),
    teamMemberCount: childCountLoader(scope, TEAM_MEMBERS),
  };
}

export type AccountLoaders = ReturnType<typeof createAccountLoaders>;

/** The caller's tenant has a handful of teams: loaded whole, once per request. */
function rowsOfTenantLoader(scope: TenantScope) {
  let teams: ReturnType<typeof loadTeams> | undefined;
  const loadTeams = () => scope.select(TeamEntity, 't').orderBy('t.name', 'ASC').getMany();
  return { load: () => (teams ??= loadTeams()) };
}
