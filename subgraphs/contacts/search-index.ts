import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../shared/tenant-scope';
import { ContactEntity, ContactSearchPendingEntity, ContactSearchTokenEntity, MAX_WORD_LENGTH, SEARCHED_FIELDS, type ContactRow, type ContactSearchTokenRow, type SearchedField } from './entities';

/**
 * The contacts' search index: one row per word of each searched field of each contact, so that
 * `contacts(search:)` reads the index entries of the words it asks for instead of every contact of
 * the tenant. A word is what is left between characters that are neither letters nor digits,
 * with accents removed and in lower case ("José O'Neil" holds "jose", "o", "neil";
 * "jo.sa@acme.example" holds "jo", "sa", "acme", "example"; "+14155550123" holds "14155550123").
 * A search matches a field when every one of its words begins a word of that field.
 *
 * The rows say which field each word is from, so a search can count a field of a contact only
 * where the privacy engine lets the caller match that field of that contact (see searchFilter).
 * Words are stored as plain text; keyed hashes of each word would keep the same shape for an
 * encrypted store, at the price of whole-word instead of word-prefix matching.
 */

/** The words of a text as the index holds them: accents removed, lower case, split on anything but letters and digits. */
export function searchWords(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .map((word) => Array.from(word).slice(0, MAX_WORD_LENGTH).join(''));
  return [...new Set(words)];
}

/** The index rows of one contact. */
export function tokenRowsOf(contact: Pick<ContactRow, 'id' | 'tenantId' | SearchedField>): ContactSearchTokenRow[] {
  const rows: ContactSearchTokenRow[] = [];
  for (const field of SEARCHED_FIELDS) {
    const value = contact[field];
    if (value) for (const token of searchWords(value)) rows.push({ contactId: contact.id, field, token, tenantId: contact.tenantId });
  }
  return rows;
}

/**
 * The least text greater than every text that begins with `prefix`, in code-point order (the
 * token column compares as binary on both stores): the prefix with its last character raised by one.
 */
export function prefixEnd(prefix: string): string {
  const chars = Array.from(prefix);
  let last = chars.pop()!.codePointAt(0)! + 1;
  if (last >= 0xd800 && last <= 0xdfff) last = 0xe000;
  return chars.join('') + String.fromCodePoint(Math.min(last, 0x10ffff));
}

/** Rewrites the index rows of `contacts` (already read in full) and forgets their pending marks. */
export async function writeTokens(manager: EntityManager, contacts: readonly Pick<ContactRow, 'id' | 'tenantId' | SearchedField>[], ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const tokens = manager.getRepository(ContactSearchTokenEntity);
  await tokens.createQueryBuilder().delete().where('contactId IN (:...ids)', { ids }).execute();
  const rows = contacts.flatMap(tokenRowsOf);
  for (let i = 0; i < rows.length; i += 200) await tokens.createQueryBuilder().insert().values(rows.slice(i, i + 200)).orIgnore().execute();
}

/** Pending contacts indexed per statement, and at most this many statements' worth per search. */
const PENDING_BATCH = 500;
const PENDING_ROUNDS = 20;

/**
 * Indexes the tenant's contacts written since they were last indexed, before a search reads the
 * index. Triggers mark every insert and every change of a searched field or the tenant, whoever
 * writes the row (an import, a migration, a script), so the index never misses a write; the
 * seeder writes its rows' words itself. Usually there is nothing pending: one index read. The mark
 * is removed in the same transaction as the words are rewritten; a write after that marks the
 * contact again.
 */
export async function indexPending(scope: TenantScope): Promise<void> {
  for (let round = 0; round < PENDING_ROUNDS; round += 1) {
    const pending = await scope.select(ContactSearchPendingEntity, 'p').select('p.contactId', 'contactId').limit(PENDING_BATCH).getRawMany<{ contactId: string }>();
    if (pending.length === 0) return;
    const ids = pending.map((p) => p.contactId);
    await scope.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .delete()
        .from(ContactSearchPendingEntity)
        .where('tenantId = :tenantId AND contactId IN (:...ids)', { tenantId: scope.tenantId, ids })
        .execute();
      const contacts = await manager
        .createQueryBuilder(ContactEntity, 'c')
        .where('c.tenantId = :tenantId AND c.id IN (:...ids)', { tenantId: scope.tenantId, ids })
        .getMany();
      await writeTokens(manager, contacts, ids);
    });
    if (pending.length < PENDING_BATCH) return;
  }
}
