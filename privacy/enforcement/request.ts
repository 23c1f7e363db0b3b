import DataLoader from 'dataloader';
import type { ResponsePath } from 'graphql';
import type { Caller } from '../caller';
import { consentNeeds, decide, mayNeedConsents, type CallerFacts, type Decision } from '../decide';
import { AUDITED_ROLES, SUBJECT_KINDS, type Category, type ConsentPurpose, type Relation, type SubjectKind } from '../policy';
import { subjectKey, type ConsentStore, type ConsentSubject } from '../store/consents';
import { DisclosureLog } from './disclosures';
import { NoticeLog } from './notices';
import type { SubjectMappers, SubjectOfRow } from './subject';

const UNKNOWN_SUBJECT: Decision = { effect: 'WITHHOLD', reason: 'UNKNOWN_SUBJECT' };
/**
 * Memo slot of a subject: everything a decision reads from it except consents — kind, relation,
 * whether it is the calling app's installer, and whether it has a consent subject and a
 * counterpart at all (a call without a contact has no recording consent to look up).
 */
const KIND_SLOT = Object.fromEntries(SUBJECT_KINDS.map((kind, i) => [kind, i * 24])) as Record<SubjectKind, number>;
const RELATION_SLOT: Record<Relation, number> = { SELF: 0, SAME_TEAM: 8, SAME_TENANT: 16 };
const slotOf = (subject: SubjectOfRow): number =>
  KIND_SLOT[subject.kind] + RELATION_SLOT[subject.relation] + (subject.installedCallerApp ? 4 : 0) + (subject.consentSubject ? 2 : 0) + (subject.counterpart ? 1 : 0);
const NEEDS_CONSENTS = Symbol('needs consents');
const NO_CONSENTS: ReadonlySet<ConsentPurpose> = new Set();

/** A personal field as the engine decides it: numbered once when the rules are built. */
export interface DecidedField {
  id: number;
  /** "Type.field", as the audit names it. */
  name: string;
  typeName: string;
  category: Category;
}

interface MappedSubject {
  subject: SubjectOfRow;
  slot: number;
  /** Consent keys, made only when a decision needs them. */
  consentSubject?: string;
  counterpart?: string;
}

function keyOf(mapped: MappedSubject, which: 'consentSubject' | 'counterpart'): string | undefined {
  const subject = mapped.subject[which];
  if (!subject) return undefined;
  return (mapped[which] ??= subjectKey(subject));
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
  readonly notices = new NoticeLog();
  /** What an audited caller (SUPPORT, PARTNER, DPO) was shown; absent for everyone else. */
  readonly disclosures?: DisclosureLog;
  readonly tenantKey: Uint8Array;
  private readonly facts: CallerFacts;
  private readonly consentLoader: DataLoader<ConsentSubject, Set<ConsentPurpose>, string>;
  /** Decisions per row object, for executors that decide and mask in two steps (shield). */
  private readonly decisions = new WeakMap<object, Map<string, Decision>>();
  /** The subject of each row (and its consent keys), mapped once per row rather than once per field; dies with the request. */
  private readonly subjectsOfRows = new Map<object, MappedSubject>();
  private lastRow: object | undefined;
  private lastMapped: MappedSubject | undefined;
  /** Per field id, per subject slot: the decision, or NEEDS_CONSENTS when it depends on consents. */
  private readonly memo: (Decision | typeof NEEDS_CONSENTS | undefined)[][] = [];
  /** Decisions that depend on consents, by field and slot, then by the identity of the consent sets. */
  private readonly consentMemo = new Map<number, Map<ReadonlySet<ConsentPurpose>, Map<ReadonlySet<ConsentPurpose>, Decision>>>();

  private readonly consentBound = new WeakMap<readonly Category[], boolean>();

  /** Consents already loaded for this request (by preload or an earlier decision). */
  private readonly knownConsents = new Map<string, Set<ConsentPurpose>>();

  constructor(private readonly options: PrivacyRequestOptions) {
    const { caller } = options;
    this.tenantKey = options.tenantKey;
    if (AUDITED_ROLES.includes(caller.role)) this.disclosures = new DisclosureLog();
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

  /** Whether any value of these categories can need a consent for this caller (answered once per list of categories). */
  mayNeedConsents(categories: readonly Category[]): boolean {
    let answer = this.consentBound.get(categories);
    if (answer === undefined) this.consentBound.set(categories, (answer = categories.length > 0 && mayNeedConsents(this.facts, categories)));
    return answer;
  }

  /**
   * Loads, in one batch, the consents that the rows of a list may need, so that deciding their
   * fields afterwards is synchronous. Returns undefined when nothing needs loading.
   */
  preload(typeName: string, categories: readonly Category[], rows: readonly object[]): Promise<unknown> | undefined {
    if (!this.mayNeedConsents(categories)) return undefined;
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
   * A decision depends on the row only through its subject's facts (its slot) and consents, so it
   * is made once per (field, slot) — and, when consents count, once per distinct consent state —
   * and then looked up for every further row.
   */
  decide(field: DecidedField, row: object): Decision | Promise<Decision> {
    const mapped = this.subjectOf(field.typeName, row);
    if (!mapped) return UNKNOWN_SUBJECT;
    const { subject } = mapped;
    if (subject.restricted) return this.decideWithConsents(field, mapped);
    let slots = this.memo[field.id];
    if (!slots) this.memo[field.id] = slots = [];
    const { slot } = mapped;
    const known = slots[slot];
    if (known !== undefined) return known === NEEDS_CONSENTS ? this.decideWithConsents(field, mapped) : known;
    const needs = consentNeeds(this.facts, subject, field.category);
    if ((needs.subject && subject.consentSubject) || (needs.counterpart && subject.counterpart)) {
      slots[slot] = NEEDS_CONSENTS;
      return this.decideWithConsents(field, mapped);
    }
    return (slots[slot] = decide(this.facts, subject, field.category));
  }

  /** A decision that depends on the subject's consents (or its restriction), per distinct consent state. */
  private decideWithConsents(field: DecidedField, mapped: MappedSubject): Decision | Promise<Decision> {
    const { subject } = mapped;
    const needs = consentNeeds(this.facts, subject, field.category);
    const wantSubject = needs.subject && subject.consentSubject !== undefined;
    const wantCounterpart = needs.counterpart && subject.counterpart !== undefined;
    const consents = wantSubject ? this.knownConsents.get(keyOf(mapped, 'consentSubject')!) : undefined;
    const counterpartConsents = wantCounterpart ? this.knownConsents.get(keyOf(mapped, 'counterpart')!) : undefined;
    if ((wantSubject && !consents) || (wantCounterpart && !counterpartConsents)) {
      return Promise.all([
        wantSubject ? this.consentLoader.load(subject.consentSubject!) : undefined,
        wantCounterpart ? this.consentLoader.load(subject.counterpart!) : undefined,
      ]).then(([loaded, loadedCounterpart]) => decide(this.facts, { ...subject, consents: loaded, counterpartConsents: loadedCounterpart }, field.category));
    }
    if (subject.restricted) return decide(this.facts, { ...subject, consents, counterpartConsents }, field.category);
    // Consent sets are shared by every row of the same subject: key the decision by their identity.
    const key = field.id * 128 + mapped.slot;
    let bySubject = this.consentMemo.get(key);
    if (!bySubject) this.consentMemo.set(key, (bySubject = new Map()));
    let byCounterpart = bySubject.get(consents ?? NO_CONSENTS);
    if (!byCounterpart) bySubject.set(consents ?? NO_CONSENTS, (byCounterpart = new Map()));
    let decision = byCounterpart.get(counterpartConsents ?? NO_CONSENTS);
    if (!decision) byCounterpart.set(counterpartConsents ?? NO_CONSENTS, (decision = decide(this.facts, { ...subject, consents, counterpartConsents }, field.category)));
    return decision;
  }

  private subjectOf(typeName: string, row: object): MappedSubject | undefined {
    // graphql-js resolves the fields of one row one after another: the last row answers most lookups.
    if (row === this.lastRow) return this.lastMapped;
    let mapped = this.subjectsOfRows.get(row);
    if (!mapped) {
      const mapper = this.options.subjects[typeName];
      if (!mapper) return undefined;
      const subject = mapper(row, this.options.caller, this.options.partnerInstaller);
      mapped = { subject, slot: slotOf(subject) };
      this.subjectsOfRows.set(row, mapped);
    }
    this.lastRow = row;
    this.lastMapped = mapped;
    return mapped;
  }

  /** Counts a value the caller is shown (in full or in part) for the audit, when the caller is audited. */
  disclosed(field: DecidedField, row: object, decision: Decision): void {
    if (!this.disclosures || decision.effect === 'WITHHOLD') return;
    const subject = this.subjectOf(field.typeName, row)?.subject;
    this.disclosures.add(field.name, decision.effect, subject?.consentSubject, subject?.counterpart);
  }

  recall(row: object, field: string): Decision | undefined {
    return this.decisions.get(row)?.get(field);
  }

  notice(path: ResponsePath, decision: Decision): void {
    this.notices.add(path, decision);
  }

  remember(row: object, field: string, decision: Decision): Decision {
    let fields = this.decisions.get(row);
    if (!fields) this.decisions.set(row, (fields = new Map()));
    fields.set(field, decision);
    return decision;
  }
}
