import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { badUserInput } from '../../platform/errors';
import type { SubgraphContext } from '../shared/context';
import { isId, parseId } from '../shared/ids';
import { loadChildConnection } from '../shared/loaders';
import { connectionResolvers, parseWindow, toConnection, type WindowArgs } from '../shared/pagination';
import { parsePhone } from '../shared/phone';
import { DateTime } from '../shared/scalars';
import type { Filter } from '../shared/tenant-scope';
import { ContactEntity, type ContactRow } from './entities';
import { consentResolvers } from './consents';
import { CONTACT_ORDER, type ContactLoaders } from './loaders';

type Context = SubgraphContext<ContactLoaders>;
type Reference = { id?: unknown };

const MAX_SEARCH_LENGTH = 100;
const contactCursor = (contact: ContactRow): [string, string] => [contact.name, contact.id];

/** Substring match on name, email, phone or company; LIKE wildcards in the input match literally. */
function searchFilter(search: unknown): Filter | undefined {
  if (search === undefined || search === null) return undefined;
  if (typeof search !== 'string' || search.trim().length === 0 || search.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(`Argument "search" must be 1 to ${MAX_SEARCH_LENGTH} characters`, 'search');
  }
  const pattern = `%${search.trim().replace(/[!%_]/g, '!$&')}%`;
  return (qb, alias) => {
    qb.andWhere(
      `(${alias}.name LIKE :search ESCAPE '!' OR ${alias}.email LIKE :search ESCAPE '!' OR ` +
        `${alias}.phone LIKE :search ESCAPE '!' OR ${alias}.company LIKE :search ESCAPE '!')`,
      { search: pattern },
    );
  };
}

export const contactResolvers: GraphQLResolverMap<Context> = {
  DateTime,
  Query: {
    ...(consentResolvers.Query as object),
    contact: (_: unknown, args: { id: unknown }, { loaders }: Context) => loaders.contact.load(parseId(args.id)),
    contacts: async (_: unknown, args: WindowArgs & { search?: unknown }, { scope }: Context) => {
      const { first, after } = parseWindow(args);
      const filter = searchFilter(args.search);
      const rows = await scope.page(ContactEntity, { first, after, sort: CONTACT_ORDER, filter });
      return toConnection(rows, first, contactCursor, () => scope.count(ContactEntity, filter));
    },
    contactByPhone: (_: unknown, args: { phone: unknown }, { scope }: Context) =>
      scope
        .select(ContactEntity, 'c')
        .andWhere('c.phone = :phone', { phone: parsePhone(args.phone) })
        .orderBy('c.createdAt', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .getOne(),
  },
  Contact: {
    __resolveReference: (ref: Reference, { loaders }: Context) => (isId(ref.id) ? loaders.contact.load(ref.id) : null),
    owner: (contact: ContactRow) => (contact.ownerId ? { __typename: 'User', id: contact.ownerId } : null),
  },
  User: {
    __resolveReference: (ref: Reference) => (isId(ref.id) ? { id: ref.id } : null),
    contacts: (user: { id: string }, args: WindowArgs, { loaders }: Context) => {
      const { first, after } = parseWindow(args);
      return loadChildConnection(loaders.contactsOfOwner, loaders.contactCountOfOwner, { parentId: user.id, first, after }, contactCursor);
    },
  },
  ContactConnection: connectionResolvers,
  Mutation: consentResolvers.Mutation!,
};
