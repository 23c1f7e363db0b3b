import type { Category, Effect } from '../policy';
import { bucketDuration, initials, maskAddress, maskEmail, maskPhone, maskText, pseudonym, roundCoordinate, truncateDate } from '../masks';

export interface ValueShape {
  field: string;
  /** The GraphQL type name of the field, e.g. String, Float, DateTime, or an enum's name. */
  typeName: string;
  isEnum: boolean;
}

/** Accuracy of a generalized position: never finer than the ~1.1 km the rounding leaves. */
const GENERALIZED_ACCURACY_METERS = 1100;

function generalize(value: unknown, shape: ValueShape): unknown {
  if (value instanceof Date || shape.typeName === 'DateTime') return truncateDate(value as Date | string, 'hour');
  if (typeof value === 'number') return shape.field === 'accuracyMeters' ? Math.max(value, GENERALIZED_ACCURACY_METERS) : roundCoordinate(value);
  return undefined;
}

type Masker = (value: unknown) => unknown;

/** The partial form of a category's values, chosen once per field (the category and type are static). */
function maskerFor(category: Category, shape: ValueShape): Masker {
  if (shape.isEnum) return () => null; // an enum has no partial form
  switch (category) {
    case 'user.name':
      return (value) => initials(value as string);
    case 'user.contact.email':
      return (value) => maskEmail(value as string);
    case 'user.contact.phone_number':
    case 'user.device.call_log.number':
      return (value) => maskPhone(value as string);
    case 'user.contact.address':
      return (value) => maskAddress(value as string);
    case 'user.job_title':
    case 'user.workplace':
    case 'user.demographic.language':
    case 'user.location.imprecise':
      return (value) => maskText(value as string);
    case 'user.location.precise':
      return (value) => generalize(value, shape) ?? null;
    case 'user.behavior.interaction':
    case 'user.device.call_log':
      return (value) => {
        if (value instanceof Date || shape.typeName === 'DateTime') return truncateDate(value as Date | string, 'day');
        if (typeof value === 'number') return bucketDuration(value);
        return null;
      };
    default:
      return () => null; // notes, recordings: no partial form exists
  }
}

/** What a caller receives of one field's value under an effect, given the request's pseudonym key. */
export type Hider = (effect: Effect, value: unknown, tenantKey: Uint8Array) => unknown;

/**
 * The value a caller receives under an effect, for one field. Always a valid value of the field's
 * type (or null: personal fields are nullable), so a hidden value never breaks the response around it.
 */
export function hiderFor(category: Category, shape: ValueShape): Hider {
  const mask = maskerFor(category, shape);
  const pseudonymKind = category === 'user.name' ? 'person' : 'anon';
  return (effect, value, tenantKey) => {
    if (value === null || value === undefined) return null;
    switch (effect) {
      case 'FULL':
        return value;
      case 'WITHHOLD':
        return null;
      case 'PSEUDONYM':
        return typeof value === 'string' && !shape.isEnum ? pseudonym(value, tenantKey, pseudonymKind) : null;
      case 'GENERALIZE':
        return generalize(value, shape) ?? mask(value);
      case 'MASK':
        return mask(value);
    }
  };
}
