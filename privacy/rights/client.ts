import { createHmac, timingSafeEqual } from 'node:crypto';
import { request } from 'undici';
import { RIGHTS_PATH, RIGHTS_SIGNATURE_HEADER, RIGHTS_SIGNATURE_TTL_SECONDS, type RightsAnswers, type RightsCall } from './contract';

/**
 * Both ends of a rights call: the signature (HMAC-SHA256 with the internal secret over
 * `t + "." + body`, in the `t=<unix seconds>,s=<base64url>` header) and a small typed client for the
 * rights worker.
 */

const mac = (secret: string, t: string, body: string | Buffer): Buffer => createHmac('sha256', secret).update(`${t}.`, 'utf8').update(body).digest();

/** The header value that signs `body` at `now`. */
export function signRightsBody(secret: string, body: string | Buffer, now: number = Date.now()): string {
  const t = String(Math.floor(now / 1000));
  return `t=${t},s=${mac(secret, t, body).toString('base64url')}`;
}

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'expired' | 'mismatch';

/** Checks a signature header against the raw body: well formed, within the TTL either way, equal in constant time. */
export function verifyRightsSignature(secret: string, header: string | undefined, body: string | Buffer, now: number = Date.now()): SignatureCheck {
  if (!header) return 'missing';
  const match = /^t=(\d{1,12}),s=([A-Za-z0-9_-]{43})$/.exec(header);
  if (!match) return 'malformed';
  const [, t, s] = match as unknown as [string, string, string];
  if (Math.abs(Math.floor(now / 1000) - Number(t)) > RIGHTS_SIGNATURE_TTL_SECONDS) return 'expired';
  const given = Buffer.from(s, 'base64url');
  const expected = mac(secret, t, body);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'mismatch';
}

/** A rights call answered with an error (or not answered at all: UNAVAILABLE, status 0). */
export class RightsCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CallRightsOptions {
  /** How long the whole call may take (default 30 s: an erase page of 5,000 rows). */
  timeoutMs?: number;
}

/**
 * Sends one rights call to a subgraph (`url`: its base URL or any URL on its host, e.g. its
 * /graphql URL) and returns the typed answer, or throws RightsCallError.
 */
export async function callRights<C extends RightsCall>(url: string, secret: string, call: C, options: CallRightsOptions = {}): Promise<RightsAnswers[C['op']]> {
  const body = JSON.stringify(call);
  let response;
  try {
    response = await request(new URL(RIGHTS_PATH, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [RIGHTS_SIGNATURE_HEADER]: signRightsBody(secret, body) },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new RightsCallError(0, 'UNAVAILABLE', `The subgraph did not answer: ${(error as Error).name}`);
  }
  let parsed: unknown;
  try {
    parsed = await response.body.json();
  } catch {
    throw new RightsCallError(response.statusCode, 'UNAVAILABLE', 'The subgraph answered something other than JSON');
  }
  if (response.statusCode !== 200) {
    const error = (parsed as { error?: { code?: string; message?: string } }).error;
    throw new RightsCallError(response.statusCode, error?.code ?? 'UNAVAILABLE', error?.message ?? `HTTP ${response.statusCode}`);
  }
  return parsed as RightsAnswers[C['op']];
}
