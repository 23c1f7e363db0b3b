import { callRights, RightsCallError as RightsHttpError } from './client';
import { RIGHTS_PATH, type RightsAnswers, type RightsCall } from './contract';

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

export interface HttpRightsTransportOptions {
  /** Base URL of each subgraph (its /graphql URL is accepted too: the path is replaced by RIGHTS_PATH). */
  urls: Record<string, string>;
  secret: string;
  timeoutMs?: number;
}

export const rightsUrlOf = (url: string): string => new URL(RIGHTS_PATH, url).toString();

/**
 * The rights contract over HTTP (privacy/rights/client.ts signs and sends each call): a connection
 * failure or a 5xx is UNAVAILABLE, a refusal its own code, and only that code is kept.
 */
export class HttpRightsTransport implements RightsTransport {
  readonly subgraphs: readonly string[];

  constructor(private readonly options: HttpRightsTransportOptions) {
    this.subgraphs = Object.keys(options.urls);
  }

  async call<C extends RightsCall>(subgraph: string, call: C): Promise<RightsAnswers[C['op']]> {
    const url = this.options.urls[subgraph];
    if (!url) throw new RightsCallError('UNKNOWN_SUBGRAPH', subgraph);
    try {
      return await callRights(url, this.options.secret, call, { timeoutMs: this.options.timeoutMs });
    } catch (error) {
      if (!(error instanceof RightsHttpError)) throw new RightsCallError('UNAVAILABLE', subgraph);
      const code = /^[A-Z_]{1,40}$/.test(error.code) ? error.code : 'BAD_ANSWER';
      throw new RightsCallError(error.status === 0 || error.status >= 500 ? 'UNAVAILABLE' : code, subgraph);
    }
  }
}
