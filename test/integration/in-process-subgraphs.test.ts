import { loadGatewayConfig } from '../../gateway/config';
import { startGateway } from '../../gateway/server';
import type { RunningServer } from '../../platform/http';
import type { Caller } from '../../privacy/caller';
import { CONTEXT_HEADER, ContextSigner } from '../../privacy/signed-context';
import { DEV_INTERNAL_SECRET } from '../../platform/env';
import { postGraphQL, startTestStack, type TestStack } from '../helpers/stack';

/**
 * `npm start` runs the gateway and the subgraphs in one process, and its gateway calls them without
 * a socket. What a caller gets must not depend on that: the same answers, notices and errors as
 * over HTTP, and a subgraph still answers nothing without a valid signed context.
 */
let t: TestStack;
let overHttp: RunningServer;

beforeAll(async () => {
  t = await startTestStack();
  // A second gateway on the same subgraphs, over HTTP (as the gateway runs in its own process).
  overHttp = await startGateway({
    ...loadGatewayConfig(),
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: Object.fromEntries(Object.entries(t.stack.subgraphs).map(([name, subgraph]) => [name, subgraph.url])),
  });
});
afterAll(async () => {
  await overHttp.close();
  await t.close();
});

/** Request ids differ per request; everything else must be equal. */
function withoutRequestIds(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'requestId' ? undefined : v));
}

const STANDARD = `{ contacts(first: 20) { totalCount nodes { id name email phone company owner { name email }
  calls(first: 3) { totalCount nodes { startedAt durationSeconds direction counterpartyNumber notes } } } } }`;

describe('the gateway of one process calls its subgraphs in-process', () => {
  it('and answers exactly as over HTTP: values, masks, notices, counts and errors, for every role', async () => {
    const cases: { role: Parameters<TestStack['tokenFor']>[0]; query: string; headers?: Record<string, string> }[] = [
      { role: 'ADMIN', query: STANDARD },
      { role: 'MEMBER', query: STANDARD },
      { role: 'DPO', query: STANDARD, headers: { 'x-purpose': 'LEGAL' } },
      { role: 'MEMBER', query: '{ me { id name email lastLocation { latitude longitude } } users(first: 5) { nodes { name email phone } } }' },
      // Refusals: a purpose the role may not declare, and an id that names nothing.
      { role: 'MEMBER', query: '{ me { name } }', headers: { 'x-purpose': 'LEGAL' } },
      { role: 'ADMIN', query: '{ contact(id: "00000000-0000-0000-0000-000000000000") { name } }' },
    ];
    for (const { role, query, headers } of cases) {
      const token = await t.tokenFor(role);
      const auth = { authorization: `Bearer ${token}`, ...headers };
      const [local, http] = await Promise.all([postGraphQL(t.gatewayUrl, { query }, auth), postGraphQL(overHttp.url, { query }, auth)]);
      expect({ role, query, status: local.status }).toEqual({ role, query, status: http.status });
      expect(withoutRequestIds(local.body)).toEqual(withoutRequestIds(http.body));
    }
    // The comparison is not vacuous: masked values with their notices, and data from several subgraphs.
    const member = await t.query(STANDARD, { token: await t.tokenFor('MEMBER') });
    expect(member.body.data.contacts.nodes.length).toBeGreaterThan(0);
    expect(member.body.extensions?.privacy).toBeDefined();
  });

  describe("a subgraph's in-process endpoint", () => {
    const caller: Caller = { userId: 'u', tenantId: 't', role: 'ADMIN', purpose: 'SERVICE', requestId: 'r' };
    const query = '{ __typename }';
    const signer = new ContextSigner(DEV_INTERNAL_SECRET);
    const ask = (headers: Record<string, string>, body = JSON.stringify({ query })) =>
      t.stack.subgraphs.contacts.local.answer({ headers: { 'content-type': 'application/json', ...headers }, body });
    const codeOf = (answer: { body: string }) => (JSON.parse(answer.body) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;

    it('answers a request signed for it, once', async () => {
      const signed = signer.signNow(caller, 'contacts', { query });
      const first = await ask({ [CONTEXT_HEADER]: signed });
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body)).toEqual({ data: { __typename: 'Query' } });
      // The same context again is a replay.
      const replay = await ask({ [CONTEXT_HEADER]: signed });
      expect([replay.status, codeOf(replay)]).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('refuses a request without a context, with one for another subgraph, or for another operation', async () => {
      const refused: Record<string, string>[] = [{}, { [CONTEXT_HEADER]: signer.signNow(caller, 'accounts', { query }) }, { [CONTEXT_HEADER]: signer.signNow(caller, 'contacts', { query: '{ contacts(first: 1) { totalCount } }' }) }];
      for (const headers of refused) {
        const answer = await ask(headers);
        expect([answer.status, codeOf(answer)]).toEqual([401, 'UNAUTHENTICATED']);
        expect(answer.body).not.toContain('"data":{');
      }
    });

    it('applies the HTTP endpoint\'s body rules: BODY_LIMIT, JSON only', async () => {
      const tooLarge = await ask({ [CONTEXT_HEADER]: signer.signNow(caller, 'contacts', { query }) }, JSON.stringify({ query, variables: { pad: 'x'.repeat(1_100_000) } }));
      expect([tooLarge.status, codeOf(tooLarge)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      const notJson = await ask({}, '{ not json');
      expect([notJson.status, codeOf(notJson)]).toEqual([400, 'BAD_REQUEST']);
    });
  });

  it('treats a subgraph that has stopped as unreachable: its part is SERVICE_UNAVAILABLE, the rest is answered', async () => {
    await t.stack.subgraphs.location.close();
    const res = await t.query('{ me { name lastLocation { latitude } } }', { token: await t.tokenFor('ADMIN') });
    expect(res.body.data.me.name).toBe(t.demo.users[0]!.name);
    expect(res.body.data.me.lastLocation).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'location' });
  });
});
