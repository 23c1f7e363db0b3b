import type { Caller } from '../privacy/caller';
import type { NoticeWire } from '../privacy/enforcement/notices';

/** Per request: the caller once authenticated (absent for anonymous `__typename` probes). */
export interface GatewayContext {
  requestId: string;
  caller?: Caller;
  /**
   * Privacy notices from each subgraph fetch, with where that fetch sat in the response. Created
   * on first use: Apollo Server gives each operation of a batch a shallow copy of the context, so
   * the list belongs to one operation.
   */
  privacyNotices?: SubgraphNotices[];
  /**
   * How many subgraph fetches this operation has started (per operation, like privacyNotices):
   * notices are merged in that order, the query plan's, not in the order subgraphs answer.
   */
  fetchesStarted?: number;
}

export interface SubgraphNotices {
  /** The fetch's place in the order this operation started its fetches. */
  order: number;
  /** The fetch's place in the client's response (`@` for each element of a list). */
  fetchPath: (string | number)[];
  /** As the subgraph sent them: rows relative to that fetch, grouped notices. */
  wire: NoticeWire;
  /** For an `_entities` fetch: the representations sent, in order (type and key of each entity). */
  representations?: readonly Record<string, unknown>[];
}
