import express from 'express';
import { listen, type RunningServer } from '../../platform/http';

/** A server whose /slow requests wait until the test lets them finish. */
function slowApp() {
  const arrived: (() => void)[] = [];
  const app = express();
  app.get('/slow', (_req, res) => {
    arrived.push(() => res.json({ done: true, padding: 'x'.repeat(50_000) }));
  });
  app.get('/fast', (_req, res) => void res.json({ done: true }));
  return { app, arrived, releaseAll: () => arrived.splice(0).forEach((finish) => finish()) };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const get = (server: RunningServer, path: string) =>
  fetch(`http://127.0.0.1:${server.port}${path}`).then(
    async (r) => ({ status: r.status, body: (await r.json()) as { done: boolean; padding?: string } }),
    (error: Error & { cause?: { code?: string } }) => ({ status: 0, error: error.cause?.code ?? error.message }),
  );

describe('graceful stop of an HTTP server', () => {
  it('stops accepting at once but answers every request in flight in full', async () => {
    const { app, arrived, releaseAll } = slowApp();
    const server = await listen(app, '127.0.0.1', 0, { shutdownTimeoutMs: 10_000 });
    const inFlight = Array.from({ length: 6 }, () => get(server, '/slow'));
    await until(() => arrived.length === 6);

    let stopped = false;
    const stopping = server.close().then(() => (stopped = true));
    expect(await get(server, '/fast')).toMatchObject({ status: 0, error: 'ECONNREFUSED' });
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false); // still waiting for the six

    releaseAll();
    const answers = await Promise.all(inFlight);
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { done: true, padding: 'x'.repeat(50_000) } });
    await stopping;
    expect(stopped).toBe(true);
  });

  it('cuts requests still running when the timeout is over, and stops', async () => {
    const { app, arrived } = slowApp();
    const server = await listen(app, '127.0.0.1', 0, { shutdownTimeoutMs: 200 });
    const stuck = get(server, '/slow');
    await until(() => arrived.length === 1);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await stuck).status).toBe(0);
  });

  it('does not wait for idle keep-alive connections', async () => {
    const { app } = slowApp();
    const server = await listen(app, '127.0.0.1', 0, { shutdownTimeoutMs: 10_000 });
    expect((await get(server, '/fast')).status).toBe(200); // leaves a kept-alive connection behind
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
