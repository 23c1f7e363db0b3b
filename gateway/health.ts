import type { RequestHandler } from 'express';

export interface HealthDependencies {
  isSupergraphLoaded(): boolean;
  /** subgraph name -> its /health URL */
  subgraphHealthUrls: Record<string, string>;
  timeoutMs: number;
  /** True once a stop began: a stopping gateway asks for no new traffic. */
  isStopping?(): boolean;
}

async function probe(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * `/health` and `/health/ready`: 200 only once the supergraph is loaded and every subgraph answers
 * its own health check (which checks its store), and not while stopping. For load balancers and
 * readiness probes: a 503 means "send no traffic here now", not "restart me".
 */
export function healthHandler(deps: HealthDependencies): RequestHandler {
  return async (_req, res) => {
    const names = Object.keys(deps.subgraphHealthUrls);
    const results = await Promise.all(names.map((name) => probe(deps.subgraphHealthUrls[name]!, deps.timeoutMs)));
    const subgraphs = Object.fromEntries(names.map((name, i) => [name, results[i] ? 'ok' : 'unavailable']));
    const supergraph = deps.isSupergraphLoaded() ? 'loaded' : 'loading';
    const stopping = deps.isStopping?.() ?? false;
    const healthy = deps.isSupergraphLoaded() && results.every(Boolean) && !stopping;
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', supergraph, subgraphs, ...(stopping ? { stopping } : {}) });
  };
}

/**
 * `/health/live`: 200 while the process can answer HTTP at all. For liveness probes, which restart
 * the process: it depends on nothing else, so an outage of a subgraph or a store never restarts a
 * healthy gateway.
 */
export const liveHandler: RequestHandler = (_req, res) => {
  res.status(200).json({ status: 'ok' });
};
