import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP relay in front of a subgraph (same paths: /graphql, /health). While holding, it keeps every request until release(), so
 * a test knows requests are in flight in the gateway (e.g. when the gateway is told to stop).
 */
export async function startRelay(target = '') {
  const held: (() => void)[] = [];
  let holding = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = () =>
        void fetch(new URL(req.url ?? '/', target), {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
        }).then(
          async (answer) => {
            res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
            res.end(Buffer.from(await answer.arrayBuffer()));
          },
          () => res.destroy(),
        );
      if (holding) held.push(forward);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    forwardTo: (url: string) => void (target = url),
    hold: () => void (holding = true),
    held: () => held.length,
    release: () => {
      holding = false;
      held.splice(0).forEach((go) => go());
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
