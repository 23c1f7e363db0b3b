import {
  bucketDuration,
  initials,
  maskAddress,
  maskEmail,
  maskPhone,
  maskText,
  personPseudonym,
  roundCoordinate,
  tenantPseudonymKey,
  truncateDate,
} from '../../privacy/masks';

describe('maskEmail', () => {
  it.each([
    ['jane.doe@acme.com', 'j***@acme.com'],
    ['@acme.com', '***@acme.com'],
    ['no-at-sign', '***'],
    ['"a@b"@acme.com', '"***@acme.com'],
    ['x@y@acme.com', 'x***@acme.com'],
    ['Ödön@x.hu', 'Ö***@x.hu'],
    ['O\u0308dön@x.hu', 'Ö***@x.hu'],
    ['😀smile@x.io', '😀***@x.io'],
    ['', ''],
  ])('%p → %p', (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });

  it('returns null for null and undefined', () => {
    expect(maskEmail(null)).toBeNull();
    expect(maskEmail(undefined)).toBeNull();
  });
});

describe('maskPhone', () => {
  it.each([
    ['+919876543210', '+91 ******3210'],
    ['+14155550123', '+1 ******0123'],
    ['+442071234567', '+44 ******4567'],
    ['+35312345678', '+353 ****5678'],
    ['+79161234567', '+7 ******4567'],
    ['+201001234567', '+20 ******4567'],
  ])('keeps the country code and last four digits: %p → %p', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it.each([
    ['+1 (415) 555-0123', '+1 ******0123'],
    ['+91 98765 43210', '+91 ******3210'],
    [' +44 (0)20-7123-4567', '+44 *******4567'],
  ])('strips separators first: %p → %p', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it.each([
    ['9876543210', '******3210'],
    ['(987) 654-3210', '******3210'],
  ])('has no country code without a leading +: %p → %p', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it.each([
    ['+1234', '+1 ***'],
    ['+44123', '+44 ***'],
    ['1234', '****'],
    ['12', '**'],
    ['12345', '***45'],
    ['+1234567', '+1 ***567'],
    ['12345678', '****5678'],
  ])('never reveals more than half of a short number: %p → %p', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it('handles null, empty and digitless input', () => {
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone(undefined)).toBeNull();
    expect(maskPhone('')).toBe('');
    expect(maskPhone('n/a')).toBe('***');
  });
});

describe('initials', () => {
  it.each([
    ['Jane Doe', 'J. D.'],
    ['jane', 'J.'],
    ['Ana María López', 'A. M. L.'],
    ['  Jane   Doe  ', 'J. D.'],
    ['ørjan øst', 'Ø. Ø.'],
    ['élodie', 'É.'],
    ['Jean-Luc Picard', 'J. P.'],
    ['  ', ''],
    ['', ''],
  ])('%p → %p', (input, expected) => {
    expect(initials(input)).toBe(expected);
  });

  it('returns null for null and undefined', () => {
    expect(initials(null)).toBeNull();
    expect(initials(undefined)).toBeNull();
  });
});

describe('maskText', () => {
  it.each([
    ['Acme Traders', 'A***'],
    ['Ölwerk GmbH', 'Ö***'],
    ['𝒜lpha', '𝒜***'],
    ['  Acme', 'A***'],
    ['', ''],
  ])('%p → %p', (input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it('returns null for null', () => {
    expect(maskText(null)).toBeNull();
  });
});

describe('maskAddress', () => {
  it.each([
    ['12 MG Road, Bengaluru', '***, Bengaluru'],
    ['Flat 4, 12 MG Road,  Bengaluru ', '***, Bengaluru'],
    ['12 MG Road', '***'],
    ['12 MG Road,', '***'],
    ['', ''],
  ])('%p → %p', (input, expected) => {
    expect(maskAddress(input)).toBe(expected);
  });

  it('returns null for null', () => {
    expect(maskAddress(null)).toBeNull();
  });
});

describe('personPseudonym', () => {
  const keyA = tenantPseudonymKey('master-secret', 'tenant-a');
  const keyB = tenantPseudonymKey('master-secret', 'tenant-b');
  const aditya1 = '7d0c3f0e-0000-4000-8000-000000000001';
  const aditya2 = '7d0c3f0e-0000-4000-8000-000000000002';

  it('renders person_ plus 16 base64url characters', () => {
    expect(personPseudonym(aditya1, 'Contact.name', keyA)).toMatch(/^person_[A-Za-z0-9_-]{16}$/);
  });

  it('is stable for one person and field, per tenant key', () => {
    expect(personPseudonym(aditya1, 'Contact.name', keyA)).toBe(personPseudonym(aditya1, 'Contact.name', tenantPseudonymKey('master-secret', 'tenant-a')));
  });

  it('differs for two people (even with the same name), for two fields of one person, and between tenants', () => {
    // Keyed on the person, never on the value: two contacts both named "Aditya Banerjee" cannot be linked.
    expect(personPseudonym(aditya1, 'Contact.name', keyA)).not.toBe(personPseudonym(aditya2, 'Contact.name', keyA));
    expect(personPseudonym(aditya1, 'Contact.name', keyA)).not.toBe(personPseudonym(aditya1, 'Contact.email', keyA));
    expect(personPseudonym(aditya1, 'Contact.name', keyA)).not.toBe(personPseudonym(aditya1, 'Contact.name', keyB));
    expect(personPseudonym(aditya1, 'Contact.name', keyA)).not.toBe(personPseudonym(aditya1, 'Contact.name', tenantPseudonymKey('other-master', 'tenant-a')));
  });

  it('does not contain the id it stands for', () => {
    const out = personPseudonym(aditya1, 'Contact.name', keyA);
    expect(out).not.toContain(aditya1.slice(0, 8));
    expect(out).not.toContain('000000000001');
  });

  it('derives a 32-byte key per tenant', () => {
    expect(keyA).toBeInstanceOf(Buffer);
    expect(keyA).toHaveLength(32);
    expect(keyA.equals(keyB)).toBe(false);
    expect(keyA.equals(tenantPseudonymKey('master-secret', 'tenant-a'))).toBe(true);
  });
});

describe('roundCoordinate', () => {
  it.each([
    [12.97164, 12.97],
    [-87.6298, -87.63],
    [77.59456, 77.59],
    [0.125, 0.13],
    [-0.125, -0.13],
    [1.005, 1.01],
    [-1.005, -1.01],
    [180, 180],
    [-0.001, 0],
  ])('%p → %p', (input, expected) => {
    expect(roundCoordinate(input)).toBe(expected);
  });

  it('honours the decimals argument', () => {
    expect(roundCoordinate(12.97164, 1)).toBe(13);
    expect(roundCoordinate(-87.6298, 3)).toBe(-87.63);
    expect(roundCoordinate(-87.6295, 3)).toBe(-87.63);
    expect(roundCoordinate(-87.62951, 0)).toBe(-88);
  });

  it('returns null for null, undefined and NaN', () => {
    expect(roundCoordinate(null)).toBeNull();
    expect(roundCoordinate(undefined)).toBeNull();
    expect(roundCoordinate(Number.NaN)).toBeNull();
  });
});

describe('truncateDate', () => {
  it.each([
    ['2026-03-01T10:47:12.345Z', 'hour', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01T10:47:12.345Z', 'day', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01 10:47:12.345', 'hour', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01 10:47:12.345', 'day', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T23:59:59', 'hour', '2026-03-01T23:00:00.000Z'],
    ['2026-03-01T01:30:00+02:00', 'day', '2026-02-28T00:00:00.000Z'],
    ['2026-03-01', 'day', '2026-03-01T00:00:00.000Z'],
  ] as const)('string %p by %p → %p', (input, unit, expected) => {
    expect(truncateDate(input, unit)?.toISOString()).toBe(expected);
  });

  it('truncates a Date without mutating it', () => {
    const input = new Date('2026-03-01T10:47:12.345Z');
    expect(truncateDate(input, 'hour')?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(truncateDate(input, 'day')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(input.toISOString()).toBe('2026-03-01T10:47:12.345Z');
  });

  it('returns null for invalid and missing values', () => {
    expect(truncateDate('not a date', 'day')).toBeNull();
    expect(truncateDate('', 'hour')).toBeNull();
    expect(truncateDate(new Date(Number.NaN), 'hour')).toBeNull();
    expect(truncateDate(null, 'day')).toBeNull();
    expect(truncateDate(undefined, 'hour')).toBeNull();
  });
});

describe('bucketDuration', () => {
  it.each([
    [0, 0],
    [59, 0],
    [60, 60],
    [299, 60],
    [300, 300],
    [1000, 900],
    [1800, 1800],
    [3599, 1800],
    [3600, 3600],
    [7200, 3600],
    [-5, 0],
    [59.9, 0],
  ])('%p s → %p', (input, expected) => {
    expect(bucketDuration(input)).toBe(expected);
  });

  it('returns null for null, undefined and NaN', () => {
    expect(bucketDuration(null)).toBeNull();
    expect(bucketDuration(undefined)).toBeNull();
    expect(bucketDuration(Number.NaN)).toBeNull();
  });
});
