import { GraphQLError } from 'graphql';
import { isId, parseId } from '../../subgraphs/shared/ids';
import { parsePhone } from '../../subgraphs/shared/phone';
import { DateTime } from '../../subgraphs/shared/scalars';
import { parseDatabaseUrl } from '../../platform/database';

const thrown = (fn: () => unknown): GraphQLError => {
  try {
    fn();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected an error');
};

describe('ids', () => {
  it('accepts UUIDs in any case and normalises them to lower case', () => {
    expect(parseId('6F1C2A3B-1D2E-4F50-8A9B-0C1D2E3F4A5B')).toBe('6f1c2a3b-1d2e-4f50-8a9b-0c1d2e3f4a5b');
    expect(isId('6f1c2a3b-1d2e-4f50-8a9b-0c1d2e3f4a5b')).toBe(true);
  });
  it.each(['', '123', 'x'.repeat(36), "1' OR '1'='1", null, 7])('refuses %p', (value) => {
    expect(thrown(() => parseId(value)).extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('phones', () => {
  it('strips separators from an E.164 number', () => {
    expect(parsePhone('+91 98765-43210')).toBe('+919876543210');
    expect(parsePhone('+1 (415) 555.0123')).toBe('+14155550123');
  });
  it.each(['9876543210', '+0123456789', '+12', '+1234567890123456', 'not a number', ''])('refuses %p without echoing it', (value) => {
    const error = thrown(() => parsePhone(value));
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    if (value) expect(error.message).not.toContain(value);
  });
});

describe('DateTime scalar', () => {
  it('serialises dates and date strings to ISO-8601 UTC', () => {
    expect(DateTime.serialize(new Date('2026-03-01T10:00:00+05:30'))).toBe('2026-03-01T04:30:00.000Z');
    expect(DateTime.serialize('2026-03-01 04:30:00.000Z')).toBe('2026-03-01T04:30:00.000Z');
  });
  it('refuses a value that is not a date', () => {
    expect(thrown(() => DateTime.parseValue('soon')).extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('DATABASE_URL', () => {
  it('selects MySQL or the embedded store', () => {
    expect(parseDatabaseUrl('mysql://root@127.0.0.1:3306/test')).toEqual({ kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/test' });
    expect(parseDatabaseUrl('mariadb://u:p@db/crm')).toEqual({ kind: 'mysql', url: 'mysql://u:p@db/crm' });
    expect(parseDatabaseUrl('sqlite:data/crm.sqlite')).toEqual({ kind: 'sqlite', file: 'data/crm.sqlite' });
    expect(parseDatabaseUrl(undefined)).toEqual({ kind: 'sqlite', file: 'data/crm.sqlite' });
  });
  it('refuses anything else', () => {
    expect(() => parseDatabaseUrl('postgres://x')).toThrow(/mysql:\/\/ or sqlite:/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow();
  });
});
