import DataLoader from 'dataloader';
import type { Caller } from '../caller';
import { consentNeeds, decide, type CallerFacts, type Decision } from '../decide';
import type { Category, ConsentPurpose, Effect } from '../policy';
import { subjectKey, type ConsentStore, type ConsentSubject } from '../store/consents';
import type { SubjectMappers } from './subject';

/** One entry of `extensions.privacy`: a value that was not shown in full, and why. */
export interface PrivacyNotice {
  path: (string | number)[];
  effect: Exclude<Effect, 'FULL'>;
  reason: string;
}

export interface PrivacyRequestOptions {
  caller: Caller;
  partnerScopes: readonly string[];
  /** The user who installed the calling partner app (PARTNER callers only). */
  partnerInstaller?: string;
  consents: ConsentStore;
  subjects: SubjectMappers;
  tenantKey: Uint8Array;
}

/**
 * The privacy engine's state for one request in one subgraph: the caller's facts, a consent
 * loader (one statement per batch of subjects, never shared across requests, so a consent change
 * is in force on the next request) and the notices for `extensions.privacy`.
 */
export class PrivacyRequest {
  readonly notices: PrivacyNotice[] = [];
  readonly tenantKey: Uint8Array;
  private readonly facts: CallerFacts;
  private readonly consentLoader: DataLoader<ConsentSubject, Set<ConsentPurpose>, string>;
  /** Decisions per row object, so the mask step reuses the rule's decision. */
  private readonly decisions = new WeakMap<object, Map<string, Decision>>();

  constructor(private readonly options: PrivacyRequestOptions) {
    const { caller } = options;
    this.tenantKey = options.tenantKey;
    this.facts = { role: caller.role, purpose: caller.purpose, ticket: Boolean(caller.ticket), partnerScopes: options.partnerScopes };
    this.consentLoader = new DataLoader(
      async (subjects) => {
        const live = await options.consents.liveConsents(caller.tenantId, subjects);
        return subjects.map((s) => live.get(subjectKey(s)) ?? new Set());
      },
      { cacheKeyFn: subjectKey },
    );
  }

  /** Decides one value; synchronous unless the policy needs consents that are not loaded yet. */
  decide(typeName: string, row: object, field: string, category: Category): Decision | Promise<Decision> {
    const mapper = this.options.subjects[typeName];
    if (!mapper) return this.remember(row, field, { effect: 'WITHHOLD', reason: 'UNKNOWN_SUBJECT' });
    const subject = mapper(row, this.options.caller, this.options.partnerInstaller);
    const needs = consentNeeds(this.facts, subject, category);
    const wantSubject = needs.subject && subject.consentSubject;
    const wantCounterpart = needs.counterpart && subject.counterpart;
    if (!wantSubject && !wantCounterpart) return this.remember(row, field, decide(this.facts, subject, category));
    return Promise.all([
      wantSubject ? this.consentLoader.load(subject.consentSubject!) : undefined,
      wantCounterpart ? this.consentLoader.load(subject.counterpart!) : undefined,
    ]).then(([consents, counterpartConsents]) =>
      this.remember(row, field, decide(this.facts, { ...subject, consents, counterpartConsents }, category)),
    );
  }

  recall(row: object, field: string): Decision | undefined {
    return this.decisions.get(row)?.get(field);
  }

  notice(path: (string | number)[], decision: Decision): void {
    if (decision.effect !== 'FULL') this.notices.push({ path, effect: decision.effect, reason: decision.reason });
  }

  private remember(row: object, field: string, decision: Decision): Decision {
    let fields = this.decisions.get(row);
    if (!fields) this.decisions.set(row, (fields = new Map()));
    fields.set(field, decision);
    return decision;
  }
}
