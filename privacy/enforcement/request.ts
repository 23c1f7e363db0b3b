import DataLoader from 'dataloader';
import type { Caller } from '../caller';
import { consentNeeds, decide, mayNeedConsents, type CallerFacts, type Decision } from '../decide';
import type { Category, ConsentPurpose, Effect } from '../policy';
import { subjectKey, type ConsentStore, type ConsentSubject } from '../store/consents';
import type { SubjectMappers, SubjectOfRow } from './subject';

const UNKNOWN_SUBJECT: Decision = { effect: 'WITHHOLD', reason: 'UNKNOWN_SUBJECT' };
const RELATION_SLOT = { SELF: 0, SAME_TEAM: 2, SAME_TENANT: 4 } as const;

interface MappedSubject {
  subject: SubjectOfRow;
  /** Consent keys, made only when a decision needs them. */
  consentSubject?: string;
  counterpart?: string;
}

function keyOf(mapped: MappedSubject, which: 'consentSubject' | 'counterpart'): string | undefined {
  const subject = mapped.subject[which];
  if (!subject) return undefined;
  return (mapped[which] ??= subjectKey(subject));
}

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
  /** Decisions per row object, for executors that decide and mask in two steps (shield). */
  private readonly decisions = new WeakMap<object, Map<string, Decision>>();
  /** The subject of each row (and its consent keys), mapped once per row rather than once per field. */
  private readonly subjectsOfRows = new WeakMap<object, MappedSubject>();
  /**
   * Decisions that need no consent depend only on (field, relation, installer): made once per
   * request per field, then looked up by a small index instead of recomputed for every row.
   */
  private readonly memo = new Map<string, (Decision | undefined)[]>();

  /** Consents already loaded for this request (by preload or an earlier decision). */
  private readonly knownConsents = new Map<string, Set<ConsentPurpose>>();

  constructor(private readonly options: PrivacyRequestOptions) {
    const { caller } = options;
    this.tenantKey = options.tenantKey;
    this.facts = { role: caller.role, purpose: caller.purpose, ticket: Boolean(caller.ticket), partnerScopes: options.partnerScopes };
    this.consentLoader = new DataLoader(
      async (subjects) => {
        const live = await options.consents.liveConsents(caller.tenantId, subjects);
        return subjects.map((s) => {
          const consents = live.get(subjectKey(s)) ?? new Set<ConsentPurpose>();
          this.knownConsents.set(subjectKey(s), consents);
          return consents;
        });
      },
      { cacheKeyFn: subjectKey },
    );
  }

  /**
   * Loads, in one batch, the consents that the rows of a list may need, so that deciding their
   * fields afterwards is synchronous. Returns undefined when nothing needs loading.
   */
  preload(typeName: string, categories: readonly Category[], rows: readonly object[]): Promise<unknown> | undefined {
    if (!mayNeedConsents(this.facts, categories)) return undefined;
    const wanted = new Map<string, ConsentSubject>();
    for (const row of rows) {
      const mapped = this.subjectOf(typeName, row);
      if (!mapped) continue;
      let wantSubject = false;
      let wantCounterpart = false;
      for (const category of categories) {
        const needs = consentNeeds(this.facts, mapped.subject, category);
        wantSubject ||= needs.subject;
        wantCounterpart ||= needs.counterpart;
      }
      const consentKey = wantSubject ? keyOf(mapped, 'consentSubject') : undefined;
      const counterpartKey = wantCounterpart ? keyOf(mapped, 'counterpart') : undefined;
      if (consentKey && !this.knownConsents.has(consentKey)) wanted.set(consentKey, mapped.subject.consentSubject!);
      if (counterpartKey && !this.knownConsents.has(counterpartKey)) wanted.set(counterpartKey, mapped.subject.counterpart!);
    }
    return wanted.size > 0 ? this.consentLoader.loadMany([...wanted.values()]) : undefined;
  }

  /**
   * Decides one value; synchronous unless the policy needs consents that are not loaded yet.
   * `fieldKey` is "Type.field", made once when the rules are built.
   */
  decide(typeName: string, row: object, category: Category, fieldKey: string): Decision | Promise<Decision> {
    const mapped = this.subjectOf(typeName, row);
    if (!mapped) return UNKNOWN_SUBJECT;
    const { subject } = mapped;
    const needs = consentNeeds(this.facts, subject, category);
    const wantSubject = needs.subject && subject.consentSubject !== undefined;
    const wantCounterpart = needs.counterpart && subject.counterpart !== undefined;
    if (!wantSubject && !wantCounterpart && !subject.restricted) {
      let slots = this.memo.get(fieldKey);
      if (!slots) this.memo.set(fieldKey, (slots = []));
      const slot = RELATION_SLOT[subject.relation] + (subject.installedCallerApp ? 1 : 0);
      return (slots[slot] ??= decide(this.facts, subject, category));
    }
    const consents = wantSubject ? this.knownConsents.get(keyOf(mapped, 'consentSubject')!) : undefined;
    const counterpartConsents = wantCounterpart ? this.knownConsents.get(keyOf(mapped, 'counterpart')!) : undefined;
    if ((!wantSubject || consents) && (!wantCounterpart || counterpartConsents)) {
      return decide(this.facts, { ...subject, consents, counterpartConsents }, category);
    }
    return Promise.all([
      wantSubject ? this.consentLoader.load(subject.consentSubject!) : undefined,
      wantCounterpart ? this.consentLoader.load(subject.counterpart!) : undefined,
    ]).then(([loaded, loadedCounterpart]) => decide(this.facts, { ...subject, consents: loaded, counterpartConsents: loadedCounterpart }, category));
  }

  private subjectOf(typeName: string, row: object): MappedSubject | undefined {
    let mapped = this.subjectsOfRows.get(row);
    if (!mapped) {
      const mapper = this.options.subjects[typeName];
      if (!mapper) return undefined;
      mapped = { subject: mapper(row, this.options.caller, this.options.partnerInstaller) };
      this.subjectsOfRows.set(row, mapped);
    }
    return mapped;
  }

  recall(row: object, field: string): Decision | undefined {
    return this.decisions.get(row)?.get(field);
  }

  notice(path: (string | number)[], decision: Decision): void {
    if (decision.effect !== 'FULL') this.notices.push({ path, effect: decision.effect, reason: decision.reason });
  }

  remember(row: object, field: string, decision: Decision): Decision {
    let fields = this.decisions.get(row);
    if (!fields) this.decisions.set(row, (fields = new Map()));
    fields.set(field, decision);
    return decision;
  }
}
