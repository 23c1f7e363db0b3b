import { createHmac } from 'node:crypto';

/**
 * Partial masks for personal values. Each returns a value of the same type as its input, so a
 * masked GraphQL field still holds a valid value; null/undefined stay null, empty strings stay empty.
 */

const HIDDEN = '***';

/** First user-perceived character, whole (surrogate pairs and composed accents are not cut). */
function firstChar(value: string): string {
  return Array.from(value.normalize('NFC'))[0] ?? '';
}

/** Keeps the first character of the local part and the whole domain, so a rep can tell addresses apart without reading them. */
export function maskEmail(value: string | null | undefined): string | null {
  if (value == null) return null;
  if (value === '') return '';
  const at = value.lastIndexOf('@');
  if (at < 0) return HIDDEN;
  return `${firstChar(value.slice(0, at))}${HIDDEN}@${value.slice(at + 1)}`;
}

const TWO_DIGIT_COUNTRY_CODES = new Set([
  20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
  60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
]);

/** Length of the E.164 country calling code at the start of `digits` (ITU rule: 1, 2 or 3 digits). */
function countryCodeLength(digits: string): number {
  if (digits.startsWith('1') || digits.startsWith('7')) return 1;
  return TWO_DIGIT_COUNTRY_CODES.has(Number(digits.slice(0, 2))) ? 2 : 3;
}

/** Keeps the country code and at most the last four digits (never more than half) so a rep can recognise a number without being able to dial it. */
export function maskPhone(value: string | null | undefined): string | null {
  if (value == null) return null;
  if (value === '') return '';
  const digits = value.replace(/\D/g, '');
  if (digits === '') return HIDDEN;
  const international = value.trim().startsWith('+');
  const ccLength = international ? countryCodeLength(digits) : 0;
  const subscriber = digits.slice(ccLength);
  const shown = subscriber.length <= 4 ? 0 : Math.min(4, Math.floor(subscriber.length / 2));
  const masked = '*'.repeat(subscriber.length - shown) + subscriber.slice(subscriber.length - shown);
  if (!international) return masked;
  return masked === '' ? `+${digits}` : `+${digits.slice(0, ccLength)} ${masked}`;
}

/** Keeps the upper-cased initial of each word, enough to address someone politely without their full name. */
export function initials(value: string | null | undefined): string | null {
  if (value == null) return null;
  return value
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => `${firstChar(word).toLocaleUpperCase()}.`)
    .join(' ');
}

/** Keeps only the first character of free text (company, job title) so a record stays recognisable in a list. */
export function maskText(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? '' : `${firstChar(trimmed)}${HIDDEN}`;
}

/** Keeps only the last comma-separated part (the city), coarse enough for regional reporting but not for finding a door. */
export function maskAddress(value: string | null | undefined): string | null {
  if (value == null) return null;
  if (value.trim() === '') return '';
  const parts = value.split(',');
  const city = parts.length > 1 ? (parts[parts.length - 1] ?? '').trim() : '';
  return city === '' ? HIDDEN : `${HIDDEN}, ${city}`;
}

/**
 * A stable per-tenant token for one person's value of one field (HMAC-SHA256 over the person's
 * id and the field's name, never over the value): the same person always gets the same token, two
 * people with the same name get different ones, and nothing about the value can be recovered or
 * matched — toggling one person's consent says nothing about another who shares their name.
 */
export function personPseudonym(person: string, field: string, tenantKey: Uint8Array | string): string {
  const digest = createHmac('sha256', tenantKey).update(`${field}\u0000${person}`, 'utf8').digest('base64url');
  return `person_${digest.slice(0, 16)}`;
}

/** Derives the per-tenant pseudonym key from one master secret, so tokens of one tenant cannot be matched against another's. */
export function tenantPseudonymKey(masterSecret: string, tenantId: string): Buffer {
  return createHmac('sha256', masterSecret).update(`pseudonym:${tenantId}`, 'utf8').digest();
}

/** Keeps a coordinate to `decimals` places (2 ≈ 1.1 km, rounded half away from zero), enough for a map of customers but not for a street address. */
export function roundCoordinate(value: number | null | undefined, decimals = 2): number | null {
  if (value == null || !Number.isFinite(value)) return null;
  const factor = 10 ** decimals;
  // toPrecision(15) absorbs binary noise such as 1.005 * 100 = 100.49999999999999.
  const rounded = Math.round(Number((Math.abs(value) * factor).toPrecision(15))) / factor;
  return Math.sign(value) * rounded + 0; // `+ 0` turns -0 into 0
}

/** Keeps a timestamp only to the hour or day (UTC), enough for activity trends but not for tracing someone's movements. */
export function truncateDate(value: Date | string | null | undefined, unit: 'hour' | 'day'): Date | null {
  if (value == null) return null;
  let date: Date;
  if (typeof value === 'string') {
    // A date-time without a zone (SQLite's 'YYYY-MM-DD HH:MM:SS.SSS' or bare ISO) is UTC, whatever the server's time zone.
    const zoneless = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim());
    date = new Date(zoneless ? `${value.trim().replace(' ', 'T')}Z` : value);
  } else {
    date = new Date(value.getTime());
  }
  if (Number.isNaN(date.getTime())) return null;
  if (unit === 'day') date.setUTCHours(0, 0, 0, 0);
  else date.setUTCMinutes(0, 0, 0);
  return date;
}

const DURATION_BUCKETS = [0, 60, 300, 900, 1800, 3600] as const;

/** Keeps only the lower bound of a duration bucket (0, 1, 5, 15, 30, 60+ minutes), enough for service metrics without exact call lengths. */
export function bucketDuration(seconds: number | null | undefined): number | null {
  if (seconds == null || Number.isNaN(seconds)) return null;
  let bucket = 0;
  for (const bound of DURATION_BUCKETS) if (seconds >= bound) bucket = bound;
  return bucket;
}
