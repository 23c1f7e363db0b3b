import type { ConsentSubject } from '../store/consents';

/**
 * What a privacy action done by one request (a consent recorded, a partner app installed, an
 * account closed) puts in the audit log: its action, a detail of names and counts — never a
 * personal value — and the people it concerns.
 */
export interface PrivacyAction {
  action: string;
  detail: Record<string, unknown>;
  subjects?: readonly ConsentSubject[];
}

/**
 * The privacy actions of one request, gathered as its resolvers succeed and written when its
 * answer is sent, in one batch with its disclosures (subgraphs/shared/server.ts): resolvers never
 * append to the audit log one by one.
 */
export class PrivacyActionLog {
  private readonly actions: PrivacyAction[] = [];

  get isEmpty(): boolean {
    return this.actions.length === 0;
  }

  add(action: PrivacyAction): void {
    this.actions.push(action);
  }

  list(): readonly PrivacyAction[] {
    return this.actions;
  }
}
