import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode, forbidden } from '../../platform/errors';
import { ROLE_TRAITS } from '../../privacy/policy';
import { EXPIRY } from '../../privacy/store/controls';
import type { SubgraphContext } from '../shared/context';
import { parseId } from '../shared/ids';
import { UserEntity, type UserStatus } from './entities';
import type { AccountLoaders } from './loaders';

type Context = SubgraphContext<AccountLoaders>;

/** Who changes an account's status: the account's own user, or the tenant's ADMIN (the controller). */
type StatusActor = 'SELF' | 'ADMIN';

interface StatusTransition {
  from: readonly UserStatus[];
  to: UserStatus;
  by: readonly StatusActor[];
  /** The audit action written for it. */
  action: string;
}

/**
 * The account lifecycle, as data. A user closes their own account (after exporting it) or their
 * employer's ADMIN does; a closed account is expired — only the user and the DPO read it — until
 * the retention run purges it 45 days later, and is never reopened. An ADMIN suspends and
 * reactivates; a suspension that lasts 45 days becomes a closing (the retention run).
 */
export const STATUS_TRANSITIONS = {
  closeAccount: { from: ['ACTIVE', 'SUSPENDED'], to: 'CLOSED', by: ['SELF', 'ADMIN'], action: 'ACCOUNT_CLOSE' },
  suspendAccount: { from: ['ACTIVE'], to: 'SUSPENDED', by: ['ADMIN'], action: 'ACCOUNT_SUSPEND' },
  reactivateAccount: { from: ['SUSPENDED'], to: 'ACTIVE', by: ['ADMIN'], action: 'ACCOUNT_REACTIVATE' },
} as const satisfies Record<string, StatusTransition>;

const mayChange = (transition: StatusTransition, { caller }: Context, userId: string): boolean =>
  transition.by.some((actor) => (actor === 'SELF' ? ROLE_TRAITS[caller.role].actsAsPerson && caller.userId === userId : caller.role === actor));

function transitionResolver(transition: StatusTransition) {
  return async (_: unknown, args: { id: unknown }, context: Context): Promise<UserStatus> => {
    const id = parseId(args.id);
    if (!mayChange(transition, context, id)) throw forbidden(transition.by.includes('SELF') ? 'Only the user themselves or an ADMIN changes this account' : 'Only a tenant administrator changes this account');
    const user = await context.loaders.user.load(id);
    if (!user) throw new GraphQLError('No such user', { extensions: { code: ErrorCode.NOT_FOUND } });
    if (!transition.from.includes(user.status)) throw badUserInput(`An account that is ${user.status} cannot be changed to ${transition.to}`, 'id');
    const now = new Date();
    // A closed account's data is withheld in every subgraph, which learn it from the privacy
    // store's controls: recorded first, so no moment exists where the account is closed here and
    // shown elsewhere.
    const subject = { type: 'USER' as const, id };
    const expires = transition.to === 'CLOSED';
    if (expires) await context.privacy.controls.set(context.caller.tenantId, subject, EXPIRY, { requestId: null, recordedBy: context.caller.userId }, now);
    // Conditional on the status read, so two changes at once cannot both apply.
    const changed = await context.scope.update(UserEntity, { id, status: user.status }, { status: transition.to, statusSince: now });
    if (changed === 0) {
      if (expires && (await context.loaders.user.clear(id).load(id))?.status !== 'CLOSED') await context.privacy.controls.lift(context.caller.tenantId, subject, EXPIRY);
      throw badUserInput('The account changed meanwhile; read it again', 'id');
    }
    context.privacyActions.add({ action: transition.action, detail: { from: user.status, to: transition.to }, subjects: [{ type: 'USER', id }] });
    return transition.to;
  };
}

export const statusResolvers: GraphQLResolverMap<Context> = {
  Mutation: {
    closeAccount: transitionResolver(STATUS_TRANSITIONS.closeAccount),
    suspendAccount: transitionResolver(STATUS_TRANSITIONS.suspendAccount),
    reactivateAccount: transitionResolver(STATUS_TRANSITIONS.reactivateAccount),
  },
};
