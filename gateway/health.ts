import type { RequestHandler } from 'express';

export interface HealthDependencies {
  isSupergraphLoaded(): boolean;
  /** subgraph name -> its /health URL */
  subgraphHealthUrls: Record<string, string>;
  timeoutMs: number;
}

async function probe(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** 200 only once the supergraph is loaded and every subgraph answers its own health check. */
export function healthHandler(deps: HealthDependencies): RequestHandler {
  return async (_req, res) => {
    const names = Object.keys(deps.subgraphHealthUrls);
    const results = await Promise.all(names.map((name) => probe(deps.subgraphHealthUrls[name]!, deps.timeoutMs)));
    const subgraphs = Object.fromEntries(names.map((name, i) => [name, results[i] ? 'ok' : 'unavailable']));
    const supergraph = deps.isSupergraphLoaded() ? 'loaded' : 'loading';
    const healthy = deps.isSupergraphLoaded() && results.every(Boolean);
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', supergraph, subgraphs });
  };
}
