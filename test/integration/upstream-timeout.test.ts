import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestStack, type TestStack } from '../helpers/stack';

/** A "subgraph" that accepts connections and reads requests but never answers, like a frozen process. */
async function startFrozenServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let t: TestStack;
let frozen: Awaited<ReturnType<typeof startFrozenServer>>;

beforeAll(async () => {
  frozen = await startFrozenServer();
  t = await startTestStack({ gateway: { subgraphTimeoutMs: 400, subgraphUrls: { location: frozen.url } } });
});
afterAll(async () => {
  await t.close();
  await frozen.close();
});

describe('a subgraph that does not answer', () => {
  it('costs one timeout: that part is SERVICE_UNAVAILABLE, the other subgraphs’ data is answered', async () => {
    const token = await t.tokenFor('ADMIN');
    const started = Date.now();
    const res = await t.query('{ me { id name lastLocation { latitude } } tenant { name } }', { token });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(3000);
    expect(res.status).toBe(200);
    expect(res.body.data.me.name).toBe(t.demo.users[0]!.name);
    expect(res.body.data.me.lastLocation).toBeNull();
    expect(res.body.data.tenant.name).toBeTruthy();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'location' });
  });

  it('does not hold up requests that do not need it', async () => {
    const token = await t.tokenFor('MEMBER');
    const slow = t.query('{ me { lastLocation { latitude } } }', { token });
    const started = Date.now();
    const quick = await t.query('{ me { name } }', { token });
    expect(Date.now() - started).toBeLessThan(350);
    expect(quick.body.errors).toBeUndefined();
    expect((await slow).body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
  });
});
