import { prefixEnd, searchWords, tokenRowsOf } from '../../subgraphs/contacts/search-index';

describe('search words', () => {
  it('splits at anything but letters and digits, without case or accents', () => {
    expect(searchWords("José O'Neil")).toEqual(['jose', 'o', 'neil']);
    expect(searchWords('Jo.Sa@ACME.example')).toEqual(['jo', 'sa', 'acme', 'example']);
    expect(searchWords('+1 (415) 555-0123')).toEqual(['1', '415', '555', '0123']);
    expect(searchWords('+14155550123')).toEqual(['14155550123']);
    expect(searchWords('% _ !')).toEqual([]);
  });

  it('keeps a word once and at most 64 characters of it', () => {
    expect(searchWords('ab ab AB')).toEqual(['ab']);
    expect(Array.from(searchWords('x'.repeat(70))[0]!)).toHaveLength(64);
  });

  it('bounds a prefix range by the least text after every word that begins with it', () => {
    expect(prefixEnd('abc')).toBe('abd');
    expect(prefixEnd('az')).toBe('a{');
    for (const word of ['abc', 'abcz', 'abc\u{10000}', 'abcé']) expect(word >= 'abc' && word < prefixEnd('abc')).toBe(true);
    expect('abd' < prefixEnd('abc')).toBe(false);
  });

  it('indexes each searched field of a contact under its own name', () => {
    const rows = tokenRowsOf({ id: 'c1', tenantId: 't1', name: 'Ana Li', email: null, phone: '+4930123', company: 'Li & Co' });
    expect(rows.map((r) => `${r.field}:${r.token}`)).toEqual(['name:ana', 'name:li', 'phone:4930123', 'company:li', 'company:co']);
  });
});
