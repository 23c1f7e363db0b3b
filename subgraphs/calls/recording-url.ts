import { createHmac } from 'node:crypto';

/** How long a recording link works. */
export const RECORDING_URL_TTL_SECONDS = 300;

/**
 * A short-lived signed link to a recording, never the storage location itself: the media
 * service checks the signature and expiry before streaming.
 */
export function signedRecordingUrl(storageKey: string, baseUrl: string, secret: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + RECORDING_URL_TTL_SECONDS;
  const id = Buffer.from(storageKey).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${id}.${expires}`).digest('base64url');
  return `${baseUrl.replace(/\/$/, '')}/${id}?expires=${expires}&signature=${signature}`;
}
