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
import { ContactEntity, type ContactRow } from './entities';
import { consentResolvers } from './consents';
import { CONTACTS, OWNED_CONTACTS, type ContactLoaders } from './loaders';

type Context = SubgraphContext<ContactLoaders>;
type Reference = { id?: unknown };

const MAX_SEARCH_LENGTH = 100;
/** The contact fields a search looks in. */
const SEARCHED_FIELDS = ['name', 'email', 'phone', 'company'] as const;

/**
 * Substring match on name, email, phone or company — each only where the caller reads it in full
 * (a masked email cannot be rebuilt by searching for longer and longer parts of it). LIKE
 * wildcards in the input match literally; control characters are refused.
 */
async function searchFilter(scope: TenantScope, search: unknown): Promise<Filter | undefined> {
  if (search === undefined || search === null) return undefined;
  if (typeof search !== 'string' || search.trim().length === 0 || search.length > MAX_SEARCH_LENGTH || /[\u0000-\u001f\u007f]/.test(search)) {
    throw badUserInput(`Argument "search" must be 1 to ${MAX_SEARCH_LENGTH} printable characters`, 'search');
  }
  const pattern = `%${search.trim().replace(/[!%_]/g, '!$&')}%`;
  return matchOnFields(scope, 'Contact', SEARCHED_FIELDS, (column) => `${column} LIKE :search ESCAPE '!'`, { search: pattern });
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
  Mutation: consentResolvers.Mutation!,
};
