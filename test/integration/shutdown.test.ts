import { startRelay, until } from '../helpers/relay';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;
let relay: Awaited<ReturnType<typeof startRelay>>;

beforeAll(async () => {
  relay = await startRelay();
  // The gateway reaches contacts through the relay.
  t = await startTestStack({ gateway: { subgraphUrls: { contacts: relay.url } } });
  relay.forwardTo(t.stack.subgraphs.contacts.url);
});
afterAll(async () => {
  await relay.close();
  await t.close();
});

describe('graceful shutdown of the whole stack', () => {
  it('answers every request in flight in full, refuses new ones, then stops the subgraphs and closes the stores', async () => {
    const token = await t.tokenFor('ADMIN');
    const query = '{ contacts(first: 5) { nodes { name calls(first: 2) { nodes { startedAt } } } } }';
    const ask = () =>
      t.query(query, { token }).then(
        (r) => ({ ...r, error: undefined }),
        (error: Error & { cause?: { code?: string } }) => ({ status: 0, body: undefined, error: error.cause?.code ?? error.message }),
      );

    relay.hold();
    const inFlight = Array.from({ length: 6 }, ask);
    await until(() => relay.held() === 6);
    let stopped = false;
    const stopping = t.stack.close().then(() => (stopped = true));
    expect(await ask()).toMatchObject({ status: 0, error: 'ECONNREFUSED' });
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    // The subgraphs still serve the gateway's requests in flight: the stores are open.
    expect(t.stack.stores.contacts.isInitialized).toBe(true);

    relay.release();
    for (const answer of await Promise.all(inFlight)) {
      expect(answer.status).toBe(200);
      expect(answer.body!.errors).toBeUndefined();
      expect(answer.body!.data.contacts.nodes).toHaveLength(5);
      expect(answer.body!.data.contacts.nodes[0].calls.nodes.length).toBeGreaterThanOrEqual(0);
    }
    await stopping;
    expect(stopped).toBe(true);
    const subgraphHealth = await fetch(t.stack.subgraphs.accounts.url.replace(/graphql$/, 'health/live')).then(
      (r) => r.status,
      () => 0,
    );
    expect(subgraphHealth).toBe(0);
    for (const store of Object.values(t.stack.stores)) expect(store.isInitialized).toBe(false);
  });
});
