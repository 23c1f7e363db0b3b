import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { badUserInput, forbidden } from '../../platform/errors';
import { CONTACT_CREATORS } from '../../privacy/policy';
import type { SubgraphContext } from '../shared/context';
import { parsePhone } from '../shared/phone';
import { ContactEntity, type ContactRow, type LeadSource } from './entities';
import type { ContactLoaders } from './loaders';

const LEAD_SOURCES = ['WEBSITE', 'ADS', 'REFERRAL', 'CALL_LOG', 'PARTNER', 'IMPORT'] as const satisfies readonly LeadSource[];
const printable = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'must be printable');

const input = z.object({
  name: printable(200),
  email: z.string().trim().max(254).email().nullish(),
  phone: z.string().nullish(),
  company: printable(200).nullish(),
  address: printable(500).nullish(),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').nullish(),
  source: z.enum(LEAD_SOURCES).nullish(),
});

/** A calendar date that exists and is not in the future. */
function validBirthDate(value: string, now: Date): boolean {
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && date <= now;
}

/**
 * A rep (or an ADMIN) adds a contact they own. The answer says whether its email or phone belongs
 * to someone erased from this tenant (the suppression list of keyed hashes): the business is then
 * re-collecting data of a person who asked to be forgotten, and should not without a new basis.
 */
export async function createContact(args: { input: unknown }, { caller, scope, privacy }: SubgraphContext<ContactLoaders>, now = new Date()): Promise<{ contact: ContactRow; suppressed: boolean }> {
  if (!CONTACT_CREATORS.includes(caller.role)) throw forbidden('Only a user of the tenant (ADMIN or MEMBER) may add contacts');
  const parsed = input.safeParse(args.input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'input');
    throw badUserInput(`Field "${field}" of "input" ${issue.message.toLowerCase()}`, 'input');
  }
  const value = parsed.data;
  const phone = value.phone ? parsePhone(value.phone, 'input.phone') : null;
  if (value.birthDate && !validBirthDate(value.birthDate, now)) throw badUserInput('Field "birthDate" of "input" must be a past calendar date', 'input');
  const row: ContactRow = {
    id: randomUUID(),
    tenantId: caller.tenantId,
    ownerId: caller.userId,
    teamId: caller.teamId ?? null,
    name: value.name,
    email: value.email ?? null,
    phone,
    company: value.company ?? null,
    address: value.address ?? null,
    birthDate: value.birthDate ?? null,
    source: value.source ?? 'IMPORT',
    stage: 'LEAD',
    lastSpokenAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const suppressed = await privacy.suppression.matches(caller.tenantId, { email: row.email, phone: row.phone });
  await scope.dataSource.getRepository(ContactEntity).insert(row);
  return { contact: row, suppressed };
}
