import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a recording link works. */
export const RECORDING_URL_TTL_SECONDS = 300;

const signatureOf = (recordingId: string, expires: number, secret: string) => createHmac('sha256', secret).update(`recording:${recordingId}:${expires}`).digest('base64url');

/**
 * A short-lived signed link to a recording. It names the recording by an opaque id — the call
 * log's id — and never carries the storage key in any form: the media service checks the signature
 * and expiry (verifyRecordingLink), then looks the key up itself before streaming.
 */
export function signedRecordingUrl(recordingId: string, baseUrl: string, secret: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + RECORDING_URL_TTL_SECONDS;
  return `${baseUrl.replace(/\/$/, '')}/${encodeURIComponent(recordingId)}?expires=${expires}&signature=${signatureOf(recordingId, expires, secret)}`;
}

/** For the media service: the recording id a link names, or null if it is forged, altered or expired. */
export function verifyRecordingLink(link: string, secret: string, now = Date.now()): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  const recordingId = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
  const expires = Number(url.searchParams.get('expires'));
  const given = Buffer.from(url.searchParams.get('signature') ?? '');
  const expected = Buffer.from(signatureOf(recordingId, expires, secret));
  if (!recordingId || !Number.isInteger(expires) || expires * 1000 < now) return null;
  return given.length === expected.length && timingSafeEqual(given, expected) ? recordingId : null;
}
