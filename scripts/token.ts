/**
 * Prints a development token for the seeded demo data (refused in production):
 *   npm run token -- --role ADMIN --tenant acme [--user <id>] [--ticket <id>] [--partner <client>] [--expires 8h]
 */
import { parseArgs } from 'node:util';
import { mintDevToken } from '../gateway/dev-tokens';
import { isRole, ROLES } from '../privacy/policy';
import { demoClaims } from '../seed/personas';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') fail('Development tokens are not available in production');
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'MEMBER' },
      tenant: { type: 'string', default: 'acme' },
      user: { type: 'string' },
      ticket: { type: 'string' },
      reason: { type: 'string' },
      partner: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
  });
  if (!isRole(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  let claims;
  try {
    claims = demoClaims({ role: values.role, tenant: values.tenant!, user: values.user, ticket: values.ticket, reason: values.reason, partner: values.partner });
  } catch (error) {
    fail(`--${(error as Error).message}`);
  }
  process.stdout.write(`${await mintDevToken(claims, { expiresIn: values.expires })}\n`);
}

void main();
