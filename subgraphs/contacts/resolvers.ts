import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { badUserInput } from '../../platform/errors';
import type { SubgraphContext } from '../shared/context';
import { isId, parseId } from '../shared/ids';
import { matchOnFields } from '../shared/lists';
import { loadChildConnection, loadRootConnection } from '../shared/loaders';
import { connectionResolvers, parseWindow, type WindowArgs } from '../shared/pagination';
import { parsePhone } from '../shared/phone';
import { DateTime } from '../shared/scalars';
import type { Filter, TenantScope } from '../shared/tenant-scope';
import { ContactEntity, SEARCHED_FIELDS, type ContactRow } from './entities';
import { indexPending, prefixEnd, searchWords } from './search-index';
import { consentResolvers } from './consents';
import { createContact } from './create-contact';
import { CONTACTS, OWNED_CONTACTS, type ContactLoaders } from './loaders';

type Context = SubgraphContext<ContactLoaders>;
type Reference = { id?: unknown };

const MAX_SEARCH_LENGTH = 100;
const MAX_SEARCH_WORDS = 8;

/**
 * Word-prefix search on name, email, phone or company, read from the search index
 * (search-index.ts): a contact matches when, in one of those fields, every word of the search
 * begins a word of the field — and only in a field the caller reads in full for that contact (a
 * masked email cannot be rebuilt by searching for longer and longer parts of it). Control
 * characters are refused; punctuation separates words and matches nothing by itself.
 */
async function searchFilter(scope: TenantScope, search: unknown): Promise<Filter | undefined> {
  if (search === undefined || search === null) return undefined;
  if (typeof search !== 'string' || search.trim().length === 0 || search.length > MAX_SEARCH_LENGTH || /[\u0000-\u001f\u007f]/.test(search)) {
    throw badUserInput(`Argument "search" must be 1 to ${MAX_SEARCH_LENGTH} printable characters`, 'search');
  }
  const words = searchWords(search);
  if (words.length > MAX_SEARCH_WORDS) throw badUserInput(`Argument "search" may hold at most ${MAX_SEARCH_WORDS} words`, 'search');
  if (words.length === 0) return (qb) => void qb.andWhere('1 = 0');
  await indexPending(scope);
  const params: Record<string, unknown> = { searchTenant: scope.tenantId };
  words.forEach((word, i) => Object.assign(params, { [`searchFrom${i}`]: word, [`searchTo${i}`]: prefixEnd(word) }));
  // The candidates come from the index entries of the longest word (the fewest); each word is
  // then looked up in each field the caller may match, as a range of the same index.
  const longest = words.reduce((best, word, i) => (word.length > words[best]!.length ? i : best), 0);
  const fieldList = (fields: readonly string[]) => fields.map((field) => `'${field}'`).join(', ');
  const withWord = (i: number, fields: string, alias: string) =>
    `SELECT ${alias}.contactId FROM contact_search_tokens ${alias} WHERE ${alias}.tenantId = :searchTenant AND ${alias}.field IN (${fields}) AND ${alias}.token >= :searchFrom${i} AND ${alias}.token < :searchTo${i}`;
  const candidates = (alias: string, fields: readonly string[]) => `${alias}.id IN (${withWord(longest, fieldList(fields), 'st')})`;
  const wordsInField = (_column: string, field: string, alias: string) => words.map((_, i) => `${alias}.id IN (${withWord(i, `'${field}'`, `s${field[0]}${i}`)})`).join(' AND ');
  return matchOnFields(scope, 'Contact', SEARCHED_FIELDS, wordsInField, params, candidates);
}

export const contactResolvers: GraphQLResolverMap<Context> = {
  DateTime,
  Query: {
    ...(consentResolvers.Query as object),
    contact: (_: unknown, args: { id: unknown }, { loaders }: Context) => loaders.contact.load(parseId(args.id)),
    contacts: async (_: unknown, args: WindowArgs & { search?: unknown }, { scope }: Context) => {
      const { first, after } = parseWindow(args);
      return loadRootConnection(scope, CONTACTS, { first, after, filter: await searchFilter(scope, args.search) });
    },
    // An exact lookup is a search too: it finds only a number the caller reads in full.
    contactByPhone: async (_: unknown, args: { phone: unknown }, { scope }: Context) => {
      const byPhone = await matchOnFields(scope, 'Contact', ['phone'], (column) => `${column} = :phone`, { phone: parsePhone(args.phone) });
      const qb = scope.select(ContactEntity, 'c');
      byPhone(qb as never, 'c');
      return qb.orderBy('c.createdAt', 'ASC').addOrderBy('c.id', 'ASC').getOne();
    },
  },
  Contact: {
    __resolveReference: (ref: Reference, { loaders }: Context) => (isId(ref.id) ? loaders.contact.load(ref.id) : null),
    owner: (contact: ContactRow) => (contact.ownerId ? { __typename: 'User', id: contact.ownerId } : null),
  },
  User: {
    __resolveReference: (ref: Reference) => (isId(ref.id) ? { id: ref.id } : null),
    contacts: (user: { id: string }, args: WindowArgs, { scope, loaders }: Context) => {
      const { first, after } = parseWindow(args);
      return loadChildConnection(scope, OWNED_CONTACTS, loaders.contactsOfOwner, loaders.contactCountOfOwner, { parentId: user.id, first, after });
    },
  },
  ContactConnection: connectionResolvers,
  Mutation: { ...(consentResolvers.Mutation as object), createContact: (_: unknown, args: { input: unknown }, context: Context) => createContact(args, context) },
};
