import net from 'node:net';
import { startSubgraph } from '../../subgraphs/shared/server';
import { contactsSubgraph } from '../../subgraphs/contacts';
import { openDatabase } from '../../platform/database';
import { DEV_INTERNAL_SECRET } from '../../platform/env';
import { testTarget } from '../helpers/database';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let token: string;

beforeAll(async () => {
  t = await startTestStack();
  token = await t.tokenFor('ADMIN');
});
afterAll(() => t.close());

const healthUrl = () => t.gatewayUrl.replace(/graphql$/, 'health');

/** A TCP relay in front of MySQL that the test can cut and restore, like a network outage. */
async function startRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => s.destroy());
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await open();
  return {
    get port() {
      return port;
    },
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server!.close(() => resolve());
      }),
    restore: open,
  };
}

describe('health', () => {
  it('is 200 when the supergraph is loaded and every subgraph answers', async () => {
    const response = await fetch(healthUrl());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      supergraph: 'loaded',
      subgraphs: { accounts: 'ok', contacts: 'ok', calls: 'ok', location: 'ok', privacy: 'ok' },
    });
  });
});

describe('database outage', () => {
  it('answers DATABASE_UNAVAILABLE with no stack trace, then recovers when the database is back', async () => {
    const url = testTarget() === 'mysql' ? new URL(t.database.url) : undefined;
    const relay = url ? await startRelay({ host: url.hostname, port: Number(url.port || 3306) }) : undefined;
    if (url && relay) url.port = String(relay.port);
    // A contacts subgraph of its own, wired to a database the test can take away.
    const dataSource = await openDatabase(contactsSubgraph.database, url ? url.toString() : t.database.url);
    const contacts = await startSubgraph(contactsSubgraph, { host: '127.0.0.1', port: 0, dataSource, privacyStore: t.stack.stores.privacy, internalSecret: DEV_INTERNAL_SECRET, introspection: false, bodyLimit: '1mb', pseudonymSecret: 'x'.repeat(32), auditKey: 'a'.repeat(32), privacyEnforcement: true, recordingsBaseUrl: 'http://127.0.0.1/recordings' });
    const { startGateway } = await import('../../gateway/server');
    const { loadGatewayConfig } = await import('../../gateway/config');
    const urls = Object.fromEntries(Object.entries(t.stack.subgraphs).map(([name, s]) => [name, s.url]));
    const gateway = await startGateway({ ...loadGatewayConfig(), host: '127.0.0.1', port: 0, subgraphUrls: { ...urls, contacts: contacts.url } });
    const ask = () =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ contacts(first: 3) { totalCount nodes { id } } }' }) }).then((r) => r.json() as Promise<any>);

    try {
      expect((await ask()).data.contacts.nodes).toHaveLength(3);

      // Take the database away: cut the network to MySQL; close the embedded store's file handle.
      if (relay) await relay.cut();
      else await dataSource.destroy();
      const down = await ask();
      expect(down.errors[0].extensions.code).toBe('DATABASE_UNAVAILABLE');
      expect(JSON.stringify(down)).not.toMatch(/stack|at .*\.ts|SELECT/i);
      const health = await fetch(gateway.url.replace(/graphql$/, 'health'));
      if (relay) expect(health.status).toBe(503);

      if (relay) await relay.restore();
      else await dataSource.initialize();
      let recovered: any;
      for (let attempt = 0; attempt < 20; attempt += 1) {
        recovered = await ask();
        if (!recovered.errors) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(recovered.errors).toBeUndefined();
      expect(recovered.data.contacts.nodes).toHaveLength(3);
    } finally {
      await gateway.close();
      await contacts.close();
      await relay?.cut();
      await dataSource.destroy().catch(() => undefined);
    }
  });

  it('reports 503 from /health when a subgraph is down', async () => {
    await t.stack.subgraphs.location.close();
    const response = await fetch(healthUrl());
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).subgraphs.location).toBe('unavailable');
  });
});
