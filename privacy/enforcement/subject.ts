import type { Caller } from '../caller';
import type { Relation, SubjectKind } from '../policy';
import type { ConsentSubject } from '../store/consents';

/**
 * What the engine needs to know about the person a row is about. Decisions are memoized per
 * request by these facts (request.ts, slotOf) and by consent state: a fact added here that the
 * policy reads must join that slot, or rows differing only in it would share a decision.
 */
export interface SubjectOfRow {
  kind: SubjectKind;
  relation: Relation;
  /** Whose consents count for this row (a user, or a contact). */
  consentSubject?: ConsentSubject;
  /** The other party whose consent also counts (the contact of a call). */
  counterpart?: ConsentSubject;
  /** The row is the user who installed the calling partner app. */
  installedCallerApp?: boolean;
  /** The person asked for processing to be restricted: masked for all but the DPO. */
  restricted?: boolean;
}

/** Per subgraph: how a row of each type with personal fields maps to its subject. */
export type SubjectMappers = Record<string, (row: any, caller: Caller, partnerInstaller?: string) => SubjectOfRow>;

/** Relation of the caller to a person identified by user id and team. */
export function relationTo(caller: Caller, userId: string | null | undefined, teamId?: string | null): Relation {
  if (userId && userId === caller.userId) return 'SELF';
  if (teamId && caller.teamId && teamId === caller.teamId) return 'SAME_TEAM';
  return 'SAME_TENANT';
}
