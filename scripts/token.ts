/**
 * Prints a development token for the seeded demo data (refused in production):
 *   npm run token -- --role ADMIN --tenant acme [--user <id>] [--ticket <id>] [--partner <client>] [--expires 8h]
 */
import { parseArgs } from 'node:util';
import { mintDevToken } from '../gateway/dev-tokens';
import { isRole, ROLES } from '../privacy/policy';
import { DEMO_TENANTS, generateDemoData } from '../seed/generate';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') fail('Development tokens are not available in production');
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'MEMBER' },
      tenant: { type: 'string', default: DEMO_TENANTS[0]!.slug },
      user: { type: 'string' },
      ticket: { type: 'string' },
      reason: { type: 'string', default: 'Customer asked for help' },
      partner: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
  });
  if (!isRole(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  const data = generateDemoData();
  const slugIndex = DEMO_TENANTS.findIndex((t) => t.slug === values.tenant);
  const tenant = slugIndex >= 0 ? data.tenants[slugIndex] : data.tenants.find((t) => t.id === values.tenant);
  if (!tenant) fail(`--tenant must be one of ${DEMO_TENANTS.map((t) => t.slug).join(', ')} or a tenant id`);
  const members = data.users.filter((u) => u.tenantId === tenant.id);
  // Demo personas: the first user of a tenant acts as its ADMIN, the second as a MEMBER, and so on;
  // a partner app acts for the user who installed it.
  const installer = data.partnerInstallations.find((i) => i.tenantId === tenant.id && i.clientId === values.partner)?.installedBy;
  const persona = values.role === 'PARTNER' && installer ? members.find((u) => u.id === installer) : members[Math.max(0, ROLES.indexOf(values.role))];
  const user = values.user ? members.find((u) => u.id === values.user) : persona;
  if (!user) fail('--user must be the id of a user of that tenant');
  const expiresAt = new Date(Date.now() + 4 * 3600_000).toISOString();
  const token = await mintDevToken(
    {
      sub: user.id,
      tenant: tenant.id,
      role: values.role,
      ...(user.teamId ? { team: user.teamId } : {}),
      ...(values.partner ? { partner: values.partner } : {}),
      ...(values.ticket ? { ticket: { id: values.ticket, reason: values.reason!, expiresAt } } : {}),
    },
    { expiresIn: values.expires },
  );
  process.stdout.write(`${token}\n`);
}

void main();
