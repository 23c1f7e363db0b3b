import DataLoader from 'dataloader';
import type { ResponsePath } from 'graphql';
import type { Caller } from '../caller';
import { consentNeeds, decide, mayNeedConsents, type CallerFacts, type Decision, type SubjectFacts } from '../decide';
import { AUDITED_ROLES, type Category, type ConsentPurpose, type Effect } from '../policy';
import { subjectKey, type ConsentStore, type ConsentSubject } from '../store/consents';
import { HELD_EXPIRED, HELD_OBJECTED, HELD_RESTRICTED } from '../store/controls';
import type { RequestCursors } from './cursors';
import { DisclosureLog } from './disclosures';
import type { DecidedField } from './fields';
import { NoticeLog } from './notices';
import { ALL_ROWS, conditionKey, conditionOf, renderCondition, type OrderPlan, type RowCondition, type SqlCondition } from './row-sql';
import { PeopleFacts, SLOT_COUNT, classesOf as conditionClasses, relationTo, slotOf, subjectOfRow, type SubjectClass, type SubjectOfRow, type SubjectSpecs } from './subject';

export type { DecidedField } from './fields';

const UNKNOWN_SUBJECT: Decision = { effect: 'WITHHOLD', reason: 'UNKNOWN_SUBJECT' };
const NEEDS_CONSENTS = Symbol('needs consents');
const NO_CONSENTS: ReadonlySet<ConsentPurpose> = new Set();

/** What a channel asks of a field: shown in full (to match, search, range, order), or shown at all (to follow a link). */
export type ChannelTest = 'FULL' | 'SHOWN';
const passes: Record<ChannelTest, (effect: Effect) => boolean> = {
  FULL: (effect) => effect === 'FULL',
  SHOWN: (effect) => effect !== 'WITHHOLD',
};

/** The facts decide() reads from a subject, with whatever consents are known. */
function factsOf(subject: SubjectOfRow, consents?: ReadonlySet<ConsentPurpose>, counterpartConsents?: ReadonlySet<ConsentPurpose>): SubjectFacts {
  return {
    kind: subject.kind,
    relation: subject.relation,
    consents,
    counterpartConsents,
    hasCounterpart: subject.counterpart !== undefined,
    hasPerson: subject.consentSubject !== undefined,
    restricted: subject.restricted,
    objected: subject.objected,
    child: subject.child,
    expired: subject.expired,
    installedCallerApp: subject.installedCallerApp,
  };
}

/** One number per (field, subject slot), unique because slots are below SLOT_COUNT and field ids are dense. */
export const memoKey = (field: Pick<DecidedField, 'id'>, slot: number): number => field.id * SLOT_COUNT + slot;

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
  /** Whose data each type's rows are (the subgraph's declaration). */
  subjects: SubjectSpecs;
  /** The subgraph's personal fields, keyed "Type.field" (built once with its rules). */
  fields: ReadonlyMap<string, DecidedField>;
  tenantKey: Uint8Array;
  /** Seals and opens this caller's cursors. */
  cursors: RequestCursors;
  /** Restrictions and objections in force in the tenant, the declared purpose, today's child cutoff (none: no one is restricted, objects or is a child). */
  people?: PeopleFacts;
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
  readonly cursors: RequestCursors;
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

  /** Channel answers (row conditions, order plans) of this request, by field, test and person. */
  private readonly channelAnswers = new Map<string, Promise<RowCondition | OrderPlan>>();

  /** Consents already loaded for this request (by preload or an earlier decision). */
  private readonly knownConsents = new Map<string, Set<ConsentPurpose>>();

  private readonly people: PeopleFacts;

  constructor(private readonly options: PrivacyRequestOptions) {
    const { caller } = options;
    this.people = options.people ?? PeopleFacts.NONE;
    this.tenantKey = options.tenantKey;
    this.cursors = options.cursors;
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
    return (slots[slot] = decide(this.facts, factsOf(subject), field.category));
  }

  /** A decision that depends on the subject's consents, per distinct consent state. */
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
      ]).then(([loaded, loadedCounterpart]) => decide(this.facts, factsOf(subject, loaded, loadedCounterpart), field.category));
    }
    // Consent sets are shared by every row of the same subject: key the decision by their identity.
    const key = memoKey(field, mapped.slot);
    let bySubject = this.consentMemo.get(key);
    if (!bySubject) this.consentMemo.set(key, (bySubject = new Map()));
    let byCounterpart = bySubject.get(consents ?? NO_CONSENTS);
    if (!byCounterpart) bySubject.set(consents ?? NO_CONSENTS, (byCounterpart = new Map()));
    let decision = byCounterpart.get(counterpartConsents ?? NO_CONSENTS);
    if (!decision) byCounterpart.set(counterpartConsents ?? NO_CONSENTS, (decision = decide(this.facts, factsOf(subject, consents, counterpartConsents), field.category)));
    return decision;
  }

  private subjectOf(typeName: string, row: object): MappedSubject | undefined {
    // graphql-js resolves the fields of one row one after another: the last row answers most lookups.
    if (row === this.lastRow) return this.lastMapped;
    let mapped = this.subjectsOfRows.get(row);
    if (!mapped) {
      const spec = this.options.subjects[typeName];
      if (!spec) return undefined;
      const subject = subjectOfRow(spec, row as Record<string, unknown>, this.options.caller, this.options.partnerInstaller, this.people);
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

  /** What the caller receives of a field's value under a decision (FULL: the value itself). */
  show(field: DecidedField, row: object, decision: Decision, value: unknown): unknown {
    const person = this.subjectOf(field.typeName, row)?.subject.consentSubject?.id;
    return field.effects[decision.effect].show(value, { tenantKey: this.tenantKey, person });
  }

  /* ----------------------------------------------------------------------------------------------
   * Channels. Whatever selects, counts, orders or links rows by a personal field asks here, so a
   * row matches only where the caller would be shown that field of it as the channel needs:
   * decided per class of subject with the same decide(), and written as SQL by row-sql.ts.
   * -------------------------------------------------------------------------------------------- */

  private personalField(typeName: string, fieldName: string): DecidedField | undefined {
    return this.options.fields.get(`${typeName}.${fieldName}`);
  }

  /** Applied effect of a field for one class of subject, with the consents known of that subject (none when unknown). */
  private classEffect(field: DecidedField, cls: SubjectClass, consents?: ReadonlySet<ConsentPurpose>): Effect {
    const spec = this.options.subjects[field.typeName]!;
    const decision = decide(
      this.facts,
      {
        kind: spec.kind,
        relation: cls.relation,
        installedCallerApp: cls.installer,
        hasCounterpart: cls.hasCounterpart,
        hasPerson: cls.hasPerson,
        restricted: cls.restricted,
        objected: cls.objected,
        child: cls.child,
        expired: cls.expired,
        consents: consents ?? NO_CONSENTS,
      },
      field.category,
    );
    return field.effects[decision.effect].effect;
  }

  /**
   * The rows of `typeName` whose `fieldName` the caller is shown as `test` needs. Without a
   * `person`, consents are taken as absent — consents only ever open values, so a row that needs
   * one to match does not match (never the other way round). With a `person` (a list whose every
   * row is that person's), their consents are loaded and count.
   */
  rowsShowing(typeName: string, fieldName: string, test: ChannelTest, person?: ConsentSubject): Promise<RowCondition> {
    // Every parent of a batch asks the same of a list (and one person's list the same for that person): answered once per request.
    const key = `${typeName}.${fieldName}|${test}|${person ? subjectKey(person) : ''}`;
    let answer = this.channelAnswers.get(key) as Promise<RowCondition> | undefined;
    if (!answer) this.channelAnswers.set(key, (answer = this.decideRows(typeName, fieldName, test, person)));
    return answer;
  }

  private async decideRows(typeName: string, fieldName: string, test: ChannelTest, person?: ConsentSubject): Promise<RowCondition> {
    const field = this.personalField(typeName, fieldName);
    if (!field) return ALL_ROWS; // not personal: every row shows it
    const consents = await this.consentsOf(field, person);
    const spec = this.options.subjects[typeName]!;
    return conditionOf(spec, this.options.caller, this.options.partnerInstaller, this.people, (cls) => this.ofPerson(cls, spec, person) && passes[test](this.classEffect(field, cls, consents)));
  }

  /**
   * How a list of `typeName` may be ordered by `fieldName` for this caller (see OrderPlan). A list
   * that holds only the rows of `within` (the rows whose link it follows is shown) is ordered
   * among those classes alone: the rows it never lists do not make its order mixed.
   */
  orderPlan(typeName: string, fieldName: string, person?: ConsentSubject, within: RowCondition = ALL_ROWS): Promise<OrderPlan> {
    const key = `${typeName}.${fieldName}|ORDER|${person ? subjectKey(person) : ''}|${conditionKey(within)}`;
    let answer = this.channelAnswers.get(key) as Promise<OrderPlan> | undefined;
    if (!answer) this.channelAnswers.set(key, (answer = this.decideOrder(typeName, fieldName, person, within)));
    return answer;
  }

  private async decideOrder(typeName: string, fieldName: string, person: ConsentSubject | undefined, within: RowCondition): Promise<OrderPlan> {
    const field = this.personalField(typeName, fieldName);
    if (!field) return { kind: 'value' };
    const consents = await this.consentsOf(field, person);
    const spec = this.options.subjects[typeName]!;
    const listed = within.kind === 'classes' ? new Set(within.classes.map(classKey)) : undefined;
    const possible = conditionClasses(spec, this.options.caller, this.options.partnerInstaller, this.people).filter((cls) => this.ofPerson(cls, spec, person) && (!listed || listed.has(classKey(cls))));
    const inFull = possible.filter((cls) => this.classEffect(field, cls, consents) === 'FULL');
    if (inFull.length === possible.length) return { kind: 'value' };
    if (inFull.length > 0) return { kind: 'mixed', full: { kind: 'classes', classes: inFull }, rest: { kind: 'classes', classes: possible.filter((cls) => !inFull.includes(cls)) } };
    // Nobody's value is shown in full: the order of the shown value, where it is a truncation shown alike to all.
    const shown = new Set(possible.map((cls) => field.effects[this.classEffect(field, cls, consents)].orderable));
    const [only] = shown;
    return shown.size === 1 && only ? { kind: 'truncate', unit: only } : { kind: 'none' };
  }

  /** Rendered conditions, by condition (kept per request, so the same object), type and alias. */
  private readonly rendered = new WeakMap<RowCondition, Map<string, SqlCondition>>();

  /** A row condition of `typeName` as SQL over `alias` (written once per request and alias). */
  sql(typeName: string, condition: RowCondition, alias: string): SqlCondition {
    let byAlias = this.rendered.get(condition);
    if (!byAlias) this.rendered.set(condition, (byAlias = new Map()));
    const key = `${typeName}|${alias}`;
    let sql = byAlias.get(key);
    if (!sql) byAlias.set(key, (sql = renderCondition(condition, this.options.subjects[typeName]!, alias, this.options.caller, this.options.partnerInstaller, this.people)));
    return sql;
  }

  /**
   * In one person's own list, only the classes that person can be in: their relation to the caller
   * is known by their id alone, and so are their restriction and objections.
   */
  private ofPerson(cls: SubjectClass, spec: SubjectSpecs[string], person?: ConsentSubject): boolean {
    if (!person || person.type !== spec.person.type) return true;
    const held = this.people.controls.heldFor(person.type, person.id, this.people.purpose);
    if (cls.restricted !== Boolean(held & HELD_RESTRICTED) || cls.objected !== Boolean(held & HELD_OBJECTED)) return false;
    // Known by id (the row has no status column of its own): the person's list is of one expiry state.
    if (!spec.expiredWhen && cls.expired !== Boolean(held & HELD_EXPIRED)) return false;
    if (spec.relatedUser !== spec.person.column) return true;
    return (cls.relation === 'SELF') === (relationTo(this.options.caller, person.id) === 'SELF');
  }

  private async consentsOf(field: DecidedField, person?: ConsentSubject): Promise<ReadonlySet<ConsentPurpose> | undefined> {
    if (!person || !mayNeedConsents(this.facts, [field.category])) return undefined;
    return this.knownConsents.get(subjectKey(person)) ?? this.consentLoader.load(person);
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

/** A class by its facts, to compare classes made by different calls. */
function classKey(cls: SubjectClass): string {
  return `${cls.relation}|${+cls.installer}${+cls.hasCounterpart}${+cls.hasPerson}${+cls.restricted}${+cls.objected}${+cls.child}${+cls.expired}`;
}
