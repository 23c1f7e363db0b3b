import { RECORDING_URL_TTL_SECONDS, signedRecordingUrl, verifyRecordingLink } from '../../subgraphs/calls/recording-url';

const SECRET = 'recording-link-secret-for-unit-tests-000';
const CALL_ID = '7f0c2d4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const STORAGE_KEY = 's3://crm-recordings/acme/2026/11/call-7f0c2d4e.ogg';

describe('recording links', () => {
  const link = signedRecordingUrl(CALL_ID, 'https://media.example/recordings/', SECRET, Date.UTC(2026, 0, 1));

  it('name the recording by an opaque id and carry the storage key in no encoding', () => {
    expect(link).toMatch(/^https:\/\/media\.example\/recordings\/[0-9a-f-]{36}\?expires=\d+&signature=[\w-]+$/);
    const key = Buffer.from(STORAGE_KEY);
    for (const encoded of [STORAGE_KEY, key.toString('base64'), key.toString('base64url'), key.toString('hex'), encodeURIComponent(STORAGE_KEY), 'crm-recordings', 'call-7f0c2d4e.ogg']) {
      expect(link).not.toContain(encoded);
    }
  });

  it('are accepted by the media service until they expire, and not when altered', () => {
    const issued = Date.UTC(2026, 0, 1);
    expect(verifyRecordingLink(link, SECRET, issued + 1000)).toBe(CALL_ID);
    expect(verifyRecordingLink(link, SECRET, issued + (RECORDING_URL_TTL_SECONDS + 1) * 1000)).toBeNull();
    expect(verifyRecordingLink(link.replace(CALL_ID, '00000000-1a2b-4c3d-8e9f-0a1b2c3d4e5f'), SECRET, issued)).toBeNull();
    expect(verifyRecordingLink(link.replace(/expires=(\d+)/, (_m, e: string) => `expires=${Number(e) + 3600}`), SECRET, issued)).toBeNull();
    expect(verifyRecordingLink(link, `${SECRET}x`, issued)).toBeNull();
    expect(verifyRecordingLink('not a url', SECRET, issued)).toBeNull();
  });
});
