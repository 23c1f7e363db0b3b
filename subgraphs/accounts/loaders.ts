import type { TenantScope } from '../shared/tenant-scope';
import { childCountLoader, childPageLoader, rowLoader, type ChildListSpec } from '../shared/loaders';
import { TeamEntity, TenantEntity, UserEntity } from './entities';

export const USER_ORDER = { column: 'name', direction: 'ASC', kind: 'string' } as const;
const teamMembers: ChildListSpec = { parentColumn: 'teamId', sort: USER_ORDER };

export function createAccountLoaders(scope: TenantScope) {
  return {
    user: rowLoader(scope, UserEntity),
    team: rowLoader(scope, TeamEntity),
    tenant: rowLoader(scope, TenantEntity),
    teamsOfTenant: rowsOfTenantLoader(scope),
    teamMembers: childPageLoader(scope, UserEntity, teamMembers),
    teamMemberCount: childCountLoader(scope, UserEntity, teamMembers),
  };
}

export type AccountLoaders = ReturnType<typeof createAccountLoaders>;

/** The caller's tenant has a handful of teams: loaded whole, once per request. */
function rowsOfTenantLoader(scope: TenantScope) {
  let teams: ReturnType<typeof loadTeams> | undefined;
  const loadTeams = () => scope.select(TeamEntity, 't').orderBy('t.name', 'ASC').getMany();
  return { load: () => (teams ??= loadTeams()) };
}
