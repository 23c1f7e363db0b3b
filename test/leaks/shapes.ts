/**
 * What a caller may learn of a value under each effect, as the README documents it: a masked name
 * is initials, a masked email keeps its first character and domain (`j***@acme.com`), a masked phone
 * its country code and at most the last four digits (`+91 ******4210`), a generalized position is
 * rounded to ~1 km and a generalized time to the hour, a masked time to the day. Written here, not
 * taken from privacy/masks.ts, so a wrong mask fails.
 */
import type { Effect } from './oracle';

/** How a field's values look, which decides its documented partial forms. */
export type ValueKind =
  | 'name' | 'email' | 'phone' | 'text' | 'address' | 'date' | 'locationDate' | 'birthDate'
  | 'duration' | 'enum' | 'coordinate' | 'accuracy' | 'notes' | 'recording';

const HIDDEN = '***';
const DURATION_BUCKETS = [0, 60, 300, 900, 1800, 3600];

const firstChar = (value: string) => Array.from(value.normalize('NFC'))[0] ?? '';
const initials = (name: string) => name.split(/\s+/).filter(Boolean).map((w) => `${firstChar(w).toLocaleUpperCase()}.`).join(' ');
const truncate = (date: Date, unit: 'hour' | 'day') => {
  const d = new Date(date.getTime());
  if (unit === 'day') d.setUTCHours(0, 0, 0, 0);
  else d.setUTCMinutes(0, 0, 0);
  return d.getTime();
};

/** The exact documented partial form of a string value, where the README fixes one. */
function maskedString(kind: ValueKind, raw: string): string | undefined {
  switch (kind) {
    case 'name':
      return initials(raw);
    case 'email': {
      const at = raw.lastIndexOf('@');
      return at < 0 ? HIDDEN : `${firstChar(raw.slice(0, at))}${HIDDEN}@${raw.slice(at + 1)}`;
    }
    case 'text':
      return `${firstChar(raw.trim())}${HIDDEN}`;
    case 'address': {
      const parts = raw.split(',');
      const city = parts.length > 1 ? parts[parts.length - 1]!.trim() : '';
      return city ? `${HIDDEN}, ${city}` : HIDDEN;
    }
    default:
      return undefined;
  }
}

/** A masked phone keeps its country code and at most four, never more than half, of the last digits. */
function phoneMaskProblem(raw: string, got: string): string | undefined {
  const m = /^\+(\d{1,3}) (\*+)(\d{0,4})$/.exec(got);
  if (!m) return `masked phone ${JSON.stringify(got)} is not "+<cc> ***…<last digits>"`;
  const [, cc, stars, shown] = m;
  const digits = raw.replace(/\D/g, '');
  if (!digits.startsWith(cc!) || digits.length !== cc!.length + stars!.length + shown!.length || !digits.endsWith(shown!)) return `masked phone ${got} does not fit ${raw.length} digits`;
  if (shown!.length > (stars!.length + shown!.length) / 2) return `masked phone ${got} shows more than half the digits`;
  return undefined;
}

const sameInstant = (got: unknown, raw: Date) => typeof got === 'string' && Date.parse(got) === raw.getTime();

/**
 * Why the answered value does not fit the effect on the raw value, or undefined when it fits.
 * `raw` is the seed's value (Date for times); `got` is what the API answered.
 */
export function valueProblem(kind: ValueKind, effect: Effect, raw: unknown, got: unknown): string | undefined {
  if (raw === null || raw === undefined) return got === null ? undefined : `expected null (no value), got ${JSON.stringify(got)}`;
  if (effect === 'WITHHOLD') return got === null ? undefined : `expected WITHHOLD (null), got ${JSON.stringify(got)}`;
  if (effect === 'FULL') {
    if (kind === 'recording') return typeof got === 'string' && /^https?:\/\/\S+expires=\d+&signature=/.test(got) ? undefined : `expected a signed link, got ${JSON.stringify(got)}`;
    if (raw instanceof Date) return sameInstant(got, raw) ? undefined : `expected FULL ${raw.toISOString()}, got ${JSON.stringify(got)}`;
    if (typeof raw === 'number') return typeof got === 'number' && Math.abs(got - raw) < 1e-9 ? undefined : `expected FULL ${raw}, got ${JSON.stringify(got)}`;
    return got === raw ? undefined : `expected FULL ${JSON.stringify(raw)}, got ${JSON.stringify(got)}`;
  }
  // Partial forms: each kind's check below admits only the documented form (which for a bucket or a
  // rounding can coincide with the raw value, e.g. a 0-second call).
  if (effect === 'PSEUDONYM') {
    if (typeof raw !== 'string' || kind !== 'name') return got === null ? undefined : `a ${kind} has no pseudonym, got ${JSON.stringify(got)}`;
    return typeof got === 'string' && /^[a-z]+_[A-Za-z0-9_-]{8,}$/.test(got) ? undefined : `expected a pseudonym token, got ${JSON.stringify(got)}`;
  }
  switch (kind) {
    case 'name': case 'email': case 'text': case 'address': {
      const want = maskedString(kind, raw as string);
      return got === want ? undefined : `expected ${effect} ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
    }
    case 'phone':
      return typeof got === 'string' ? phoneMaskProblem(raw as string, got) : `expected a masked phone, got ${JSON.stringify(got)}`;
    case 'date':
    case 'locationDate': {
      const at = typeof got === 'string' ? Date.parse(got) : NaN;
      const date = raw as Date;
      // GENERALIZE keeps the hour, MASK the day (a masked position's time: the hour at most).
      const allowed = effect === 'GENERALIZE' ? [truncate(date, 'hour')] : kind === 'locationDate' ? [truncate(date, 'hour'), truncate(date, 'day')] : [truncate(date, 'day')];
      return allowed.includes(at) ? undefined : `expected ${effect} of ${date.toISOString()} (${allowed.map((a) => new Date(a).toISOString()).join(' or ')}), got ${JSON.stringify(got)}`;
    }
    case 'duration': {
      const bucket = DURATION_BUCKETS.filter((b) => (raw as number) >= b).pop();
      return got === bucket ? undefined : `expected duration bucket ${bucket}, got ${JSON.stringify(got)}`;
    }
    case 'coordinate':
      return typeof got === 'number' && Math.abs(got - (raw as number)) <= 0.00501 && Math.abs(got * 100 - Math.round(got * 100)) < 1e-6
        ? undefined
        : `expected a coordinate rounded to 2 decimals near ${raw}, got ${JSON.stringify(got)}`;
    case 'accuracy':
      return typeof got === 'number' && got >= 1000 && got >= (raw as number) ? undefined : `expected accuracy of at least 1 km, got ${JSON.stringify(got)}`;
    case 'enum':
    case 'birthDate':
    case 'notes':
    case 'recording':
      return got === null ? undefined : `a ${kind} has no partial form, expected null, got ${JSON.stringify(got)}`;
  }
}

/* ------------------------------------------------------------------------ hidden substrings */

const windows = (text: string, size = 4): string[] => {
  const out: string[] = [];
  for (let i = 0; i + size <= text.length; i += 1) out.push(text.slice(i, i + size));
  return out;
};

/**
 * Pieces of 4+ characters of a value that the caller must not find anywhere in an answer, given the
 * effect on it: all of it when withheld or pseudonymized; what the documented mask drops otherwise.
 */
export function secretPieces(kind: ValueKind, effect: Effect, raw: unknown): string[] {
  if (effect === 'FULL' || typeof raw !== 'string' || raw === '') return [];
  if (kind !== 'name' && kind !== 'email' && kind !== 'phone') return [];
  const partial = effect === 'MASK' || effect === 'GENERALIZE';
  if (kind === 'email') {
    const local = raw.slice(0, raw.lastIndexOf('@') < 0 ? raw.length : raw.lastIndexOf('@'));
    return windows(local.toLowerCase()).concat(partial ? [] : windows(raw.toLowerCase()));
  }
  if (kind === 'phone') {
    const digits = raw.replace(/\D/g, '');
    return windows(partial ? digits.slice(0, Math.max(0, digits.length - 4)) : digits).filter((w) => /\d{4}/.test(w));
  }
  return raw.toLowerCase().split(/\s+/).filter((w) => w.length >= 4).flatMap((w) => windows(w));
}

/** The secret pieces found in an answer, leaving out those the caller legitimately sees anyway. */
export function piecesFound(answerText: string, pieces: string[], visibleText: string): string[] {
  const answer = answerText.toLowerCase();
  const visible = visibleText.toLowerCase();
  const visibleDigits = visible.replace(/\D/g, ' ');
  return [...new Set(pieces)].filter((p) => answer.includes(p) && !visible.includes(p) && !(/^\d+$/.test(p) && visibleDigits.includes(p)));
}
