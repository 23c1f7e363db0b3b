import { EFFECTS, covers, type Category, type Effect } from './policy';
import { bucketDuration, initials, maskAddress, maskEmail, maskPhone, maskText, personPseudonym, roundCoordinate, truncateDate } from './masks';

/**
 * How a value is shown under an effect other than FULL and WITHHOLD: a registry of named
 * strategies, each declaring the effects it implements and the value types it supports. A field
 * gets, for each effect, the first strategy that fits its category and type; where none fits, the
 * next stricter effect is applied instead (ending at WITHHOLD), and that is what the client is
 * told — never a silent null under a milder name.
 */

/** The kinds of GraphQL values a strategy can take: scalars, enums, and links to another object. */
export const VALUE_TYPES = ['String', 'DateTime', 'Float', 'Int', 'Boolean', 'Enum', 'Link'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** What a strategy may use besides the value. */
export interface StrategyContext {
  /** The request's per-tenant pseudonym key. */
  tenantKey: Uint8Array;
  /** The person the value is about (its subject's id), for pseudonyms that are per person. */
  person?: string;
}

export type PartialEffect = Exclude<Effect, 'FULL' | 'WITHHOLD'>;

export interface Strategy {
  effects: readonly PartialEffect[];
  types: readonly ValueType[];
  /** Never called with null or undefined. Returns a valid value of the field's type. */
  apply(value: unknown, ctx: StrategyContext, field: string): unknown;
  /** The store can order rows by what this strategy shows (a date truncated to this unit). */
  orderable?: 'hour' | 'day';
}

const GENERALIZED_ACCURACY_METERS = 1100;

export const STRATEGIES = {
  initials: { effects: ['MASK'], types: ['String'], apply: (v) => initials(String(v)) },
  'email-domain': { effects: ['MASK'], types: ['String'], apply: (v) => maskEmail(String(v)) },
  'phone-last-digits': { effects: ['MASK'], types: ['String'], apply: (v) => maskPhone(String(v)) },
  'address-city': { effects: ['MASK'], types: ['String'], apply: (v) => maskAddress(String(v)) },
  'first-character': { effects: ['MASK'], types: ['String'], apply: (v) => maskText(String(v)) },
  // ~1.1 km: coarser than fideslang's 500 m "imprecise".
  'round-coordinate': { effects: ['GENERALIZE', 'MASK'], types: ['Float'], apply: (v) => roundCoordinate(Number(v)) },
  // A generalized position is never claimed to be more accurate than its rounding.
  'accuracy-floor': { effects: ['GENERALIZE', 'MASK'], types: ['Float'], apply: (v) => Math.max(Number(v), GENERALIZED_ACCURACY_METERS) },
  'truncate-hour': { effects: ['GENERALIZE', 'MASK'], types: ['DateTime'], apply: (v) => truncateDate(v as Date | string, 'hour'), orderable: 'hour' },
  'truncate-day': { effects: ['MASK'], types: ['DateTime'], apply: (v) => truncateDate(v as Date | string, 'day'), orderable: 'day' },
  'duration-bucket': { effects: ['GENERALIZE', 'MASK'], types: ['Int'], apply: (v) => bucketDuration(Number(v)) },
  // Per person and field: stable for one person, different for two people with the same value.
  'keyed-pseudonym': { effects: ['PSEUDONYM'], types: ['String'], apply: (_v, ctx, field) => (ctx.person ? personPseudonym(ctx.person, field, ctx.tenantKey) : null) },
  // A generalized view still says whose coarse data it is (a ping's user); any stricter effect hides the link.
  'keep-link': { effects: ['GENERALIZE'], types: ['Link'], apply: (v) => v },
} satisfies Record<string, Strategy>;

export type StrategyName = keyof typeof STRATEGIES;

export function isStrategyName(name: string): name is StrategyName {
  return Object.prototype.hasOwnProperty.call(STRATEGIES, name);
}

/**
 * The strategies tried for a category, narrower categories first. A field may name one more in
 * the SDL (`@personal(strategy:)`), which is tried before these.
 */
export const DEFAULT_STRATEGIES: readonly { category: Category; strategies: readonly StrategyName[] }[] = [
  { category: 'user.name', strategies: ['initials', 'keyed-pseudonym'] },
  { category: 'user.contact.email', strategies: ['email-domain', 'keyed-pseudonym'] },
  { category: 'user.contact.phone_number', strategies: ['phone-last-digits', 'keyed-pseudonym'] },
  { category: 'user.device.call_log.number', strategies: ['phone-last-digits', 'keyed-pseudonym'] },
  { category: 'user.device.call_log.notes', strategies: [] },
  { category: 'user.contact.address', strategies: ['address-city'] },
  { category: 'user.job_title', strategies: ['first-character'] },
  { category: 'user.workplace', strategies: ['first-character'] },
  { category: 'user.demographic.language', strategies: ['first-character'] },
  // A masked birth date keeps nothing readable: the date itself is what tells a child's age.
  { category: 'user.demographic.date_of_birth', strategies: [] },
  { category: 'user.location.imprecise', strategies: ['first-character'] },
  { category: 'user.location.precise', strategies: ['round-coordinate', 'truncate-hour', 'keep-link'] },
  { category: 'user.behavior.interaction', strategies: ['truncate-day'] },
  { category: 'user.device.call_log', strategies: ['truncate-day', 'duration-bucket', 'keep-link'] },
  { category: 'user.biometric.voice', strategies: [] },
];

/** What a caller receives of one field under one decided effect: the effect actually applied and how. */
export interface Applied {
  effect: Effect;
  show(value: unknown, ctx: StrategyContext): unknown;
  /** Set when rows can be ordered by the shown value (see Strategy.orderable). */
  orderable?: 'hour' | 'day';
}

const FULL: Applied = { effect: 'FULL', show: (value) => value };
const WITHHELD: Applied = { effect: 'WITHHOLD', show: () => null };

/**
 * For one field, what each decided effect becomes: FULL shows the value, WITHHOLD nothing, and
 * each partial effect the first fitting strategy, or the next stricter effect when none fits.
 */
export function effectsFor(field: { name: string; category: Category; valueType: ValueType; strategy?: StrategyName }): Record<Effect, Applied> {
  const defaults = DEFAULT_STRATEGIES.find((entry) => covers(entry.category, field.category))?.strategies ?? [];
  const candidates = field.strategy ? [field.strategy, ...defaults] : defaults;
  const table = {} as Record<Effect, Applied>;
  // From the strictest down, so each effect can fall back on the one above it.
  for (const effect of [...EFFECTS].reverse()) {
    if (effect === 'WITHHOLD') table[effect] = WITHHELD;
    else if (effect === 'FULL') table[effect] = FULL;
    else {
      const name = candidates.find((candidate) => {
        const strategy: Strategy = STRATEGIES[candidate];
        return strategy.effects.includes(effect) && strategy.types.includes(field.valueType);
      });
      if (name) {
        const strategy: Strategy = STRATEGIES[name];
        table[effect] = {
          effect,
          show: (value, ctx) => (value === null || value === undefined ? null : strategy.apply(value, ctx, field.name)),
          ...(strategy.orderable ? { orderable: strategy.orderable } : {}),
        };
      } else {
        table[effect] = table[EFFECTS[EFFECTS.indexOf(effect) + 1]!];
      }
    }
  }
  return table;
}
