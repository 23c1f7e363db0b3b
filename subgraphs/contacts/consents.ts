import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode, forbidden } from '../../platform/errors';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../../privacy/policy';
import type { ConsentSubject } from '../../privacy/store/consents';
import type { ConsentRecordRow } from '../../privacy/store/entities';
import type { SubgraphContext } from '../shared/context';
import { parseId } from '../shared/ids';
import type { ContactLoaders } from './loaders';

type Context = SubgraphContext<ContactLoaders>;
type SubjectArgs = { subject: { type: string; id: unknown }; purpose?: unknown; source?: unknown };

const notFound = () => new GraphQLError('No such subject', { extensions: { code: ErrorCode.NOT_FOUND } });

function parseSource(source: unknown): string {
  if (source === undefined || source === null) return 'api';
  if (typeof source !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(source)) throw badUserInput('Argument "source" must be a short lower-case word, e.g. mobile-app', 'source');
  return source;
}

/**
 * Who may act on a subject's consents: a user on their own; for a contact, its owner or an ADMIN;
 * the DPO on anyone's (rights requests). Reading is allowed to the same people. A contact the
 * caller's tenant does not have is NOT_FOUND, exactly like one that does not exist.
 */
async function authorize(args: SubjectArgs, { caller, loaders }: Context): Promise<ConsentSubject> {
  const id = parseId(args.subject.id, 'subject.id');
  if (caller.role === 'SUPPORT' || caller.role === 'PARTNER') throw forbidden('This role does not manage consents');
  if (args.subject.type === 'USER') {
    if (id !== caller.userId && caller.role !== 'DPO' && caller.role !== 'ADMIN') throw forbidden("Only the user themselves records their consent");
    return { type: 'USER', id };
  }
  const contact = await loaders.contact.load(id);
  if (!contact) throw notFound();
  if (contact.ownerId !== caller.userId && caller.role !== 'ADMIN' && caller.role !== 'DPO') throw forbidden("Only the contact's owner or an ADMIN records a contact's consent");
  return { type: 'CONTACT', id };
}

function parsePurpose(purpose: unknown): ConsentPurpose {
  if (!(CONSENT_PURPOSES as readonly unknown[]).includes(purpose)) throw badUserInput('Argument "purpose" is not a consent purpose', 'purpose');
  return purpose as ConsentPurpose;
}

const record = (status: 'GRANTED' | 'WITHDRAWN') => async (_: unknown, args: SubjectArgs, context: Context) => {
  const subject = await authorize(args, context);
  return context.privacy.consents.record({
    tenantId: context.caller.tenantId,
    subjectType: subject.type,
    subjectId: subject.id,
    purpose: parsePurpose(args.purpose),
    status,
    basis: 'CONSENT',
    source: parseSource(args.source),
    recordedBy: context.caller.userId,
  });
};

export const consentResolvers: GraphQLResolverMap<Context> = {
  Query: {
    consents: async (_: unknown, args: SubjectArgs, context: Context) => {
      const subject = await authorize(args, context);
      const history = await context.privacy.consents.history(context.caller.tenantId, subject);
      const latest = new Map<string, ConsentRecordRow>();
      for (const row of history) latest.set(row.purpose, row);
      const current = CONSENT_PURPOSES.map((purpose) => {
        const row = latest.get(purpose);
        return { purpose, granted: row?.status === 'GRANTED', since: row?.recordedAt ?? null };
      });
      return { ...subject, current, history };
    },
  },
  Mutation: {
    grantConsent: record('GRANTED'),
    withdrawConsent: record('WITHDRAWN'),
  },
};
