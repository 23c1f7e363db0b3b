import { createHmac, timingSafeEqual } from 'node:crypto';
import { request } from 'undici';
import { RIGHTS_PATH, RIGHTS_SIGNATURE_HEADER, RIGHTS_SIGNATURE_TTL_SECONDS, type RightsAnswers, type RightsCall } from './contract';

/**
 * How the rights orchestration reaches a subgraph's part of the rights contract. The worker and
 * the privacy subgraph know only this interface; tests give them a fake, production the HTTP one.
 */
export interface RightsTransport {
  /** The subgraphs that hold personal data, each of which answers the contract. */
  readonly subgraphs: readonly string[];
  call<C extends RightsCall>(subgraph: string, call: C): Promise<RightsAnswers[C['op']]>;
}

/** A failed rights call: only a code (never a value) is kept with the step. */
export class RightsCallError extends Error {
  constructor(
    readonly code: string,
    readonly subgraph: string,
  ) {
    super(`rights call to ${subgraph} failed: ${code}`);
    this.name = 'RightsCallError';
  }
}

/** `t=<unix seconds>,s=<base64url HMAC-SHA256(secret, t + "." + body)>` */
export function signRightsBody(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},s=${createHmac('sha256', secret).update(`${t}.${body}`).digest('base64url')}`;
}

/** Whether a signature header is valid for this body now (within RIGHTS_SIGNATURE_TTL_SECONDS). */
export function verifyRightsSignature(secret: string, header: string | undefined, body: string, now = Date.now()): boolean {
  const match = /^t=(\d{1,12}),s=([A-Za-z0-9_-]{43})$/.exec(header ?? '');
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(now / 1000 - t) > RIGHTS_SIGNATURE_TTL_SECONDS) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('base64url'));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface HttpRightsTransportOptions {
  /** Base URL of each subgraph (its /graphql URL is accepted too: the path is replaced by RIGHTS_PATH). */
  urls: Record<string, string>;
  secret: string;
  timeoutMs?: number;
}

export const rightsUrlOf = (url: string): string => {
  const parsed = new URL(url);
  parsed.pathname = RIGHTS_PATH;
  return parsed.toString();
};

/**
 * The rights contract over HTTP: a signed JSON POST to each subgraph's RIGHTS_PATH. Kept minimal
 * (one call, one answer); a connection failure or a 5xx is UNAVAILABLE, a refusal its own code.
 */
export class HttpRightsTransport implements RightsTransport {
  readonly subgraphs: readonly string[];
  private readonly urls: Map<string, string>;

  constructor(private readonly options: HttpRightsTransportOptions) {
    this.urls = new Map(Object.entries(options.urls).map(([name, url]) => [name, rightsUrlOf(url)]));
    this.subgraphs = [...this.urls.keys()];
  }

  async call<C extends RightsCall>(subgraph: string, call: C): Promise<RightsAnswers[C['op']]> {
    const url = this.urls.get(subgraph);
    if (!url) throw new RightsCallError('UNKNOWN_SUBGRAPH', subgraph);
    const body = JSON.stringify(call);
    let response;
    try {
      response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [RIGHTS_SIGNATURE_HEADER]: signRightsBody(this.options.secret, body) },
        body,
        headersTimeout: this.options.timeoutMs ?? 30_000,
        bodyTimeout: this.options.timeoutMs ?? 30_000,
      });
    } catch {
      throw new RightsCallError('UNAVAILABLE', subgraph);
    }
    let answer: unknown;
    try {
      answer = await response.body.json();
    } catch {
      throw new RightsCallError(response.statusCode >= 500 ? 'UNAVAILABLE' : 'BAD_ANSWER', subgraph);
    }
    if (response.statusCode !== 200) {
      const code = (answer as { error?: { code?: unknown } })?.error?.code;
      throw new RightsCallError(typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : response.statusCode >= 500 ? 'UNAVAILABLE' : 'BAD_ANSWER', subgraph);
    }
    return answer as RightsAnswers[C['op']];
  }
}
