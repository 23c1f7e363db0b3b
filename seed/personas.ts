import type { DevTokenClaims } from '../gateway/dev-tokens';
import { ROLES, type Role } from '../privacy/policy';
import { DEMO_TENANTS, generateDemoData } from './generate';

const demo = generateDemoData();

export interface PersonaRequest {
  role: Role;
  tenant: string;
  user?: string;
  ticket?: string;
  reason?: string;
  partner?: string;
}

/**
 * Development callers for the seeded demo data: the first user of a tenant acts as its ADMIN,
 * the second as a MEMBER, and so on; a partner app acts for the user who installed it. Throws a
 * readable Error for an unknown tenant or user.
 */
export function demoClaims(request: PersonaRequest, now = Date.now()): DevTokenClaims {
  const slugIndex = DEMO_TENANTS.findIndex((t) => t.slug === request.tenant);
  const tenant = slugIndex >= 0 ? demo.tenants[slugIndex] : demo.tenants.find((t) => t.id === request.tenant);
  if (!tenant) throw new Error(`tenant must be one of ${DEMO_TENANTS.map((t) => t.slug).join(', ')} or a tenant id`);
  const members = demo.users.filter((u) => u.tenantId === tenant.id);
  const installer = demo.partnerInstallations.find((i) => i.tenantId === tenant.id && i.clientId === request.partner)?.installedBy;
  const persona = request.role === 'PARTNER' && installer ? members.find((u) => u.id === installer) : members[Math.max(0, ROLES.indexOf(request.role))];
  const user = request.user ? members.find((u) => u.id === request.user) : persona;
  if (!user) throw new Error('user must be the id of a user of that tenant');
  return {
    sub: user.id,
    tenant: tenant.id,
    role: request.role,
    ...(user.teamId ? { team: user.teamId } : {}),
    ...(request.partner ? { partner: request.partner } : {}),
    ...(request.ticket ? { ticket: { id: request.ticket, reason: request.reason ?? 'Customer asked for help', expiresAt: new Date(now + 4 * 3600_000).toISOString() } } : {}),
  };
}

/** The demo tenants, their users and the partner apps, for a development caller picker. */
export function demoDirectory() {
  return {
    tenants: DEMO_TENANTS.map((spec, i) => ({
      slug: spec.slug,
      name: spec.name,
      users: demo.users.filter((u) => u.tenantId === demo.tenants[i]!.id).map((u) => ({ id: u.id, label: `${u.name} (${u.title ?? 'user'})` })),
    })),
    partners: demo.partnerApps.map((a) => ({ clientId: a.clientId, name: a.name })),
  };
}
