/**
 * Generators of the leak suite: callers (every role, each tenant, any active user, with and without
 * a ticket, each partner app, every purpose the role may declare and now and then one it may not)
 * and rows picked by their relation to the caller (self, same team, other team, another tenant).
 */
import fc from 'fast-check';
import type { CallLogRow } from '../../subgraphs/calls/entities';
import type { ContactRow } from '../../subgraphs/contacts/entities';
import type { UserRow } from '../../subgraphs/accounts/entities';
import { ROLES, ROLE_PURPOSES, type LeakCaller, type Purpose, type Role } from './oracle';
import type { World } from './world';

const ALL_PURPOSES: Purpose[] = ['SERVICE', 'SUPPORT', 'ANALYTICS', 'MARKETING', 'PARTNER_SHARING', 'LEGAL', 'RIGHTS_REQUEST'];

/** The first tenant has both partner apps installed, so it is drawn more often. */
const tenantIndex = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.constant(1), weight: 1 });

export function callerArb(world: World, options: { roles?: readonly Role[]; purposes?: readonly Purpose[]; allowRefused?: boolean } = {}): fc.Arbitrary<LeakCaller> {
  const apps = world.t.demo.partnerApps.map((a) => a.clientId);
  return fc
    .record({
      tenant: tenantIndex,
      role: fc.constantFrom(...(options.roles ?? ROLES)),
      user: fc.nat(),
      ticket: fc.boolean(),
      partner: fc.constantFrom(...apps),
      purpose: fc.nat(),
      // One caller in ten declares any purpose, allowed or not (refused as a whole when not).
      anyPurpose: options.allowRefused ? fc.nat(9).map((n) => n === 0) : fc.constant(false),
    })
    .map(({ tenant, role, user, ticket, partner, purpose, anyPurpose }) => {
      const tenantId = world.tenants[tenant]!;
      const active = world.users.filter((u) => u.tenantId === tenantId && u.status === 'ACTIVE');
      const allowed = (options.purposes ?? ROLE_PURPOSES[role]).filter((p) => anyPurpose || ROLE_PURPOSES[role].includes(p));
      const pool = anyPurpose ? ALL_PURPOSES : allowed.length ? allowed : ROLE_PURPOSES[role];
      return world.callerOf(role, tenantId, {
        userId: role === 'PARTNER' ? undefined : active[user % active.length]!.id,
        ticket,
        partner: role === 'PARTNER' ? partner : undefined,
        purpose: pool[purpose % pool.length]!,
      });
    });
}

/** How a picked row relates to the caller; `foreign` is a row of the other tenant. */
export type Closeness = 'self' | 'team' | 'other' | 'foreign';
export const closenessArb: fc.Arbitrary<Closeness> = fc.oneof(
  { arbitrary: fc.constant<Closeness>('self'), weight: 3 },
  { arbitrary: fc.constant<Closeness>('team'), weight: 3 },
  { arbitrary: fc.constant<Closeness>('other'), weight: 3 },
  { arbitrary: fc.constant<Closeness>('foreign'), weight: 1 },
);
export const pickArb = fc.record({ closeness: closenessArb, index: fc.nat() });
export type Pick = { closeness: Closeness; index: number };

function choose<T>(candidates: T[], fallback: T[], index: number): T {
  const pool = candidates.length ? candidates : fallback;
  return pool[index % pool.length]!;
}

const inTenant = <T extends { tenantId: string }>(rows: T[], caller: LeakCaller, pick: Pick) =>
  rows.filter((r) => (pick.closeness === 'foreign' ? r.tenantId !== caller.tenantId : r.tenantId === caller.tenantId));

export function pickUser(world: World, caller: LeakCaller, pick: Pick): UserRow {
  const users = inTenant(world.users, caller, pick);
  const byCloseness = users.filter((u) =>
    pick.closeness === 'self' ? u.id === caller.userId : pick.closeness === 'team' ? u.teamId === caller.teamId && u.id !== caller.userId : pick.closeness === 'other' ? u.teamId !== caller.teamId : true,
  );
  return choose(byCloseness, users, pick.index);
}

export function pickContact(world: World, caller: LeakCaller, pick: Pick): ContactRow {
  const contacts = inTenant(world.contacts, caller, pick);
  const byCloseness = contacts.filter((c) =>
    pick.closeness === 'self' ? c.ownerId === caller.userId : pick.closeness === 'team' ? c.teamId === caller.teamId && c.ownerId !== caller.userId : pick.closeness === 'other' ? c.teamId !== caller.teamId : true,
  );
  return choose(byCloseness, contacts, pick.index);
}

export function pickCall(world: World, caller: LeakCaller, pick: Pick): CallLogRow {
  const calls = inTenant(world.calls, caller, pick);
  const teamOf = (userId: string) => world.userById.get(userId)?.teamId;
  const byCloseness = calls.filter((c) =>
    pick.closeness === 'self' ? c.userId === caller.userId : pick.closeness === 'team' ? teamOf(c.userId) === caller.teamId && c.userId !== caller.userId : pick.closeness === 'other' ? teamOf(c.userId) !== caller.teamId : true,
  );
  return choose(byCloseness, calls, pick.index);
}

export const describeCaller = (c: LeakCaller) =>
  `${c.role}${c.partner ? `(${c.partner.clientId}${c.partner.installed ? '' : ', not installed'})` : ''} user ${c.userId.slice(0, 8)} team ${c.teamId?.slice(0, 8) ?? '-'} tenant ${c.tenantId.slice(0, 8)} purpose ${c.purpose}${c.ticket ? ' +ticket' : ''}`;
