import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/** Process metrics (CPU, memory, event loop, GC), collected once per process however many servers it runs. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * `GET /metrics` in Prometheus' text format: a server's own metrics and the process's. Each server
 * keeps its own registry, so servers sharing a process (`npm start`, tests) never mix their counts.
 */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    const merged = Registry.merge([registry, processMetrics()]);
    res.setHeader('cache-control', 'no-store');
    res.type(merged.contentType).send(await merged.metrics());
  };
}
