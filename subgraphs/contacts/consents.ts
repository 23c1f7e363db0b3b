import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode, forbidden } from '../../platform/errors';
import { CONSENT_PURPOSES, mayActOnConsent, type ConsentAction, type ConsentPurpose } from '../../privacy/policy';
import type { ConsentSubject } from '../../privacy/store/consents';
import type { ConsentRecordRow } from '../../privacy/store/entities';
import type { SubgraphContext } from '../shared/context';
import { parseId } from '../shared/ids';
import type { ContactLoaders } from './loaders';

type Context = SubgraphContext<ContactLoaders>;
type SubjectArgs = { subject: { type: string; id: unknown }; purpose?: unknown; source?: unknown };

const notFound = () => new GraphQLError('No such subject', { extensions: { code: ErrorCode.NOT_FOUND } });

function parseSource(source: unknown, required: boolean): string {
  if (source === undefined || source === null) {
    if (required) throw badUserInput('Argument "source" is required: say how the contact gave or withdrew consent, e.g. web-form', 'source');
    return 'api';
  }
  if (typeof source !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(source)) throw badUserInput('Argument "source" must be a short lower-case word, e.g. mobile-app', 'source');
  return source;
}

/**
 * Who may act on a subject's consents is policy data (CONSENT_AUTHORITY in privacy/policy.ts). A
 * user's consents are checked against the caller alone (the id is refused unless it is the
 * caller's own, whether or not it exists); a contact must be one of the caller's tenant —
 * NOT_FOUND otherwise, exactly like one that does not exist — and nothing is stored unless the
 * whole request is allowed.
 */
async function authorize(args: SubjectArgs, action: ConsentAction, { caller, loaders }: Context): Promise<ConsentSubject> {
  const id = parseId(args.subject.id, 'subject.id');
  if (args.subject.type === 'USER') {
    if (!mayActOnConsent(caller, { type: 'USER', id }, action)) throw forbidden(action === 'READ' ? "This role may not read this user's consents" : 'Only the user themselves records their consent');
    return { type: 'USER', id };
  }
  if (args.subject.type !== 'CONTACT') throw badUserInput('Argument "subject.type" must be USER or CONTACT', 'subject.type');
  // Refused before the contact is looked up when not even owning it would allow this.
  if (!mayActOnConsent(caller, { type: 'CONTACT', id, ownerId: caller.userId }, action)) throw forbidden("This role may not act on a contact's consents");
  const contact = await loaders.contact.load(id);
  if (!contact) throw notFound();
  if (!mayActOnConsent(caller, { type: 'CONTACT', id, ownerId: contact.ownerId }, action)) throw forbidden("Only the contact's owner or an ADMIN records a contact's consent");
  return { type: 'CONTACT', id };
}

function parsePurpose(purpose: unknown): ConsentPurpose {
  if (!(CONSENT_PURPOSES as readonly unknown[]).includes(purpose)) throw badUserInput('Argument "purpose" is not a consent purpose', 'purpose');
  return purpose as ConsentPurpose;
}

const record = (status: 'GRANTED' | 'WITHDRAWN') => async (_: unknown, args: SubjectArgs, context: Context) => {
  const purpose = parsePurpose(args.purpose);
  const subject = await authorize(args, status === 'GRANTED' ? 'GRANT' : 'WITHDRAW', context);
  // Recorded for someone else (a contact): how they gave it must be said.
  const source = parseSource(args.source, subject.type === 'CONTACT');
  const recorded = await context.privacy.consents.record({
    tenantId: context.caller.tenantId,
    subjectType: subject.type,
    subjectId: subject.id,
    purpose,
    status,
    basis: 'CONSENT',
    source,
    recordedBy: context.caller.userId,
  });
  context.privacyActions.add({ action: status === 'GRANTED' ? 'CONSENT_GRANT' : 'CONSENT_WITHDRAW', detail: { purpose, source }, subjects: [subject] });
  return recorded;
};

export const consentResolvers: GraphQLResolverMap<Context> = {
  Query: {
    consents: async (_: unknown, args: SubjectArgs, context: Context) => {
      const subject = await authorize(args, 'READ', context);
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
