import { CursorSealer } from '../../privacy/enforcement/cursors';

const caller = { tenantId: 'tenant-a', userId: 'user-1', role: 'PARTNER', purpose: 'PARTNER_SHARING', partnerClientId: 'maps-app' };
const rowId = '4f9c2a7e-1d3b-4c5e-8f6a-0b1c2d3e4f5a';

describe('opaque cursors', () => {
  const sealer = new CursorSealer('a server secret');
  const cursors = sealer.forCaller(caller);

  it('open for the same caller and list, and name only the row', () => {
    const cursor = cursors.seal('Contact', rowId);
    expect(cursors.open('Contact', cursor)).toBe(rowId);
    expect(sealer.forCaller({ ...caller }).open('Contact', cursor)).toBe(rowId);
  });

  it('carry nothing readable: not the row id, nor any text, in any decoding', () => {
    const cursor = cursors.seal('Contact', rowId);
    for (const decoded of [Buffer.from(cursor, 'base64url').toString('utf8'), Buffer.from(cursor, 'base64url').toString('latin1'), cursor]) {
      expect(decoded).not.toContain(rowId.slice(0, 8));
      expect(decoded).not.toContain('Contact');
    }
    // Sealed afresh each time: two cursors for the same row do not even compare equal.
    expect(cursors.seal('Contact', rowId)).not.toBe(cursor);
  });

  it('do not open when altered, cut, or made for another list, caller, purpose, tenant or key', () => {
    const cursor = cursors.seal('Contact', rowId);
    const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    for (let at = 0; at < cursor.length; at += 7) expect(cursors.open('Contact', flip(cursor, at))).toBeUndefined();
    expect(cursors.open('Contact', cursor.slice(0, -2))).toBeUndefined();
    expect(cursors.open('Contact', '')).toBeUndefined();
    expect(cursors.open('Contact', 'not a cursor!')).toBeUndefined();
    expect(cursors.open('User', cursor)).toBeUndefined();
    expect(cursors.open('CallLog.userId:u1', cursor)).toBeUndefined();
    for (const other of [{ userId: 'user-2' }, { role: 'ADMIN' }, { purpose: 'SERVICE' }, { tenantId: 'tenant-b' }, { partnerClientId: 'marketplace-dialer' }]) {
      expect(sealer.forCaller({ ...caller, ...other }).open('Contact', cursor)).toBeUndefined();
    }
    expect(new CursorSealer('another secret').forCaller(caller).open('Contact', cursor)).toBeUndefined();
  });
});
