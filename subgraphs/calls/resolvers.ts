import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../shared/context';
import { isId, parseId } from '../shared/ids';
import { loadChildConnection } from '../shared/loaders';
import { connectionResolvers, parseWindow, type WindowArgs } from '../shared/pagination';
import { DateTime } from '../shared/scalars';
import type { CallLogRow } from './entities';
import { CALLS_OF_CONTACT, CALLS_OF_USER, type CallLoaders } from './loaders';
import { signedRecordingUrl } from './recording-url';

type Context = SubgraphContext<CallLoaders>;
type Reference = { id?: unknown };

const stub = (ref: Reference) => (isId(ref.id) ? { id: ref.id } : null);

export const callResolvers: GraphQLResolverMap<Context> = {
  DateTime,
  Query: {
    callLog: (_: unknown, args: { id: unknown }, { loaders }: Context) => loaders.callLog.load(parseId(args.id)),
  },
  CallLog: {
    __resolveReference: (ref: Reference, { loaders }: Context) => (isId(ref.id) ? loaders.callLog.load(ref.id) : null),
    contact: (call: CallLogRow) => (call.contactId ? { __typename: 'Contact', id: call.contactId } : null),
    user: (call: CallLogRow) => ({ __typename: 'User', id: call.userId }),
    // Runs only when the policy shows the recording in full: a signed, expiring link, never the storage key.
    recordingUrl: (call: CallLogRow, _: unknown, { recordings }: Context) =>
      call.recordingUrl ? signedRecordingUrl(call.id, recordings.baseUrl, recordings.secret) : null,
  },
  Contact: {
    __resolveReference: stub,
    calls: (contact: { id: string }, args: WindowArgs, { scope, loaders }: Context) => {
      const { first, after } = parseWindow(args);
      return loadChildConnection(scope, CALLS_OF_CONTACT, loaders.callsOfContact, loaders.callCountOfContact, { parentId: contact.id, first, after });
    },
    lastCall: async (contact: { id: string }, _: unknown, { loaders }: Context) => {
      const [latest] = await loaders.callsOfContact.load({ parentId: contact.id, first: 1 });
      return latest ?? null;
    },
  },
  User: {
    __resolveReference: stub,
    calls: (user: { id: string }, args: WindowArgs, { scope, loaders }: Context) => {
      const window = parseWindow(args);
      return loadChildConnection(scope, CALLS_OF_USER, loaders.callsOfUser, loaders.callCountOfUser, { parentId: user.id, ...window });
    },
  },
  CallLogConnection: connectionResolvers,
};
