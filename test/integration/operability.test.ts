import { getIntrospectionQuery } from 'graphql';
import { mintDevToken } from '../../gateway/dev-tokens';
import { loadGatewayConfig } from '../../gateway/config';
import { startGateway } from '../../gateway/server';
import type { RunningServer } from '../../platform/http';
import { startTestStack, type TestStack } from '../helpers/stack';

const ALLOWED = 'https://app.example.com';

let t: TestStack;
let admin: string;
let base: string;

beforeAll(async () => {
  t = await startTestStack({ gateway: { corsOrigins: [ALLOWED] } });
  admin = await t.tokenFor('ADMIN');
  base = t.gatewayUrl.replace(/\/graphql$/, '');
});
afterAll(() => t.close());

const codeOf = (res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => res.body.errors?.[0]?.extensions?.code;

/** One sample of a Prometheus text exposition, by metric name and labels (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v) && Object.keys(found).length === Object.keys(labels).length) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return 0;
}

const metricsOf = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
};

describe('introspection in development', () => {
  it('answers the standard introspection query GraphiQL sends, though it is deeper than MAX_DEPTH', async () => {
    const res = await t.query(getIntrospectionQuery({ inputValueDeprecation: true }), { token: admin });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.__schema.queryType.name).toBe('Query');
  });

  it('still limits data operations, and operations mixing data with introspection, to MAX_DEPTH', async () => {
    // 13 levels of data: refused, as before.
    const deep = '{ me { contacts(first: 1) { nodes { owner { contacts(first: 1) { nodes { owner { contacts(first: 1) { nodes { owner { team { tenant { name } } } } } } } } } } } } }';
    expect(codeOf(await t.query(deep, { token: admin }))).toBe('QUERY_TOO_DEEP');
    // The same with an introspection field beside it is a data operation.
    expect(codeOf(await t.query(`{ __typename ${deep.slice(1)}`, { token: admin }))).toBe('QUERY_TOO_DEEP');
  });

  it('limits introspection-only operations too, just past the standard query', async () => {
    const ofTypes = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofTypes(n - 1)} }`);
    const atLimit = `{ __type(name: "Query") { fields { type { ${ofTypes(11)} } } } }`; // 15 levels
    expect((await t.query(atLimit, { token: admin })).body.errors).toBeUndefined();
    const tooDeep = `{ __type(name: "Query") { fields { type { ${ofTypes(12)} } } } }`; // 16 levels
    expect(codeOf(await t.query(tooDeep, { token: admin }))).toBe('QUERY_TOO_DEEP');
  });
});

describe('health', () => {
  it('/health/live and /health/ready answer; /health stays as it was', async () => {
    const live = await fetch(`${base}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    for (const path of ['/health', '/health/ready']) {
      const ready = await fetch(base + path);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', supergraph: 'loaded', subgraphs: { accounts: 'ok', contacts: 'ok', calls: 'ok', location: 'ok' } });
    }
    const subgraphBase = t.stack.subgraphs.calls.url.replace(/\/graphql$/, '');
    expect((await fetch(`${subgraphBase}/health/live`)).status).toBe(200);
    expect((await fetch(`${subgraphBase}/health/ready`)).status).toBe(200);
  });

  describe('with a subgraph down', () => {
    let gateway: RunningServer;
    beforeAll(async () => {
      gateway = await startGateway({
        ...loadGatewayConfig({}),
        host: '127.0.0.1',
        port: 0,
        healthTimeoutMs: 500,
        subgraphUrls: {
          accounts: t.stack.subgraphs.accounts.url,
          contacts: 'http://127.0.0.1:9/graphql', // nothing listens there
          calls: t.stack.subgraphs.calls.url,
          location: t.stack.subgraphs.location.url,
        },
      });
    });
    afterAll(() => gateway.close());

    it('is not ready, but alive: a liveness probe does not restart a healthy gateway', async () => {
      const gatewayBase = gateway.url.replace(/\/graphql$/, '');
      const ready = await fetch(`${gatewayBase}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'unavailable', subgraphs: { contacts: 'unavailable', accounts: 'ok' } });
      expect((await fetch(`${gatewayBase}/health/live`)).status).toBe(200);
    });

    it('counts the failed subgraph fetches', async () => {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: 'query Outage { contacts(first: 1) { totalCount } }' }),
      });
      expect(res.status).toBe(200);
      const metrics = await metricsOf(gateway.url.replace(/\/graphql$/, '/metrics'));
      const failed = metrics.split('\n').filter((l) => l.startsWith('gateway_subgraph_fetch_errors_total{') && l.includes('subgraph="contacts"'));
      expect(failed.length).toBe(1);
      expect(Number(failed[0]!.split(' ').pop())).toBe(1);
      expect(metrics).toMatch(/gateway_graphql_operations_total\{operation="Outage",code="[A-Z_]+"\} 1/);
      expect(sample(metrics, 'gateway_graphql_operations_total', { operation: 'Outage', code: 'OK' })).toBe(0);
    });
  });
});

describe('metrics', () => {
  it('counts operations by name and result code, their latency, subgraph fetches and the values the policy hid', async () => {
    const before = await metricsOf(`${base}/metrics`);
    const named = 'query AdminCalls { contacts(first: 5) { nodes { name calls(first: 3) { nodes { notes } } } } }';
    const answers = [await t.query(named, { token: admin }), await t.query(named, { token: admin })];
    const refused = await t.query('query TooMany { contacts(first: 0) { totalCount } }', { token: admin });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');

    const after = await metricsOf(`${base}/metrics`);
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('gateway_graphql_operations_total', { operation: 'AdminCalls', code: 'OK' })).toBe(2);
    expect(delta('gateway_graphql_operations_total', { operation: 'TooMany', code: 'BAD_USER_INPUT' })).toBe(1);
    expect(delta('gateway_graphql_operation_duration_seconds_count', { operation: 'AdminCalls' })).toBe(2);
    expect(delta('gateway_graphql_operation_duration_seconds_bucket', { operation: 'AdminCalls', le: '+Inf' })).toBe(2);
    // Root fetch from contacts, then an _entities fetch from calls, per operation.
    expect(delta('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'contacts' })).toBeGreaterThanOrEqual(2);
    expect(delta('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'calls' })).toBe(2);
    // Every withheld call note of both answers, by effect and reason.
    const withheld = answers.map((a) => a.body.extensions!.privacy as { notices: { reason: string; rows: number[] }[] })
      .flatMap((p) => p.notices.filter((n) => n.reason === 'ADMIN_CALL_NOTES'))
      .reduce((sum, n) => sum + n.rows.length, 0);
    expect(withheld).toBeGreaterThan(0);
    expect(delta('gateway_privacy_values_total', { effect: 'WITHHOLD', reason: 'ADMIN_CALL_NOTES' })).toBe(withheld);
    const statuses = [...answers, refused].map((r) => String(r.status));
    for (const status of new Set(statuses)) expect(delta('gateway_http_requests_total', { route: '/graphql', status })).toBe(statuses.filter((s) => s === status).length);
    // Process metrics come along.
    expect(after).toContain('process_resident_memory_bytes');
  });

  it('labels unnamed operations "anonymous" and over-long client-chosen names "other"', async () => {
    const before = await metricsOf(`${base}/metrics`);
    await t.query('{ __typename }', { token: admin });
    const longName = `Q${'x'.repeat(80)}`;
    await t.query(`query ${longName} { __typename }`, { token: admin });
    const after = await metricsOf(`${base}/metrics`);
    const delta = (labels: Record<string, string>) => sample(after, 'gateway_graphql_operations_total', labels) - sample(before, 'gateway_graphql_operations_total', labels);
    expect(delta({ operation: 'anonymous', code: 'OK' })).toBe(1);
    expect(delta({ operation: 'other', code: 'OK' })).toBe(1);
    expect(after).not.toContain(longName);
  });

  it('counts the audit records a subgraph writes', async () => {
    const contactsMetrics = t.stack.subgraphs.contacts.url.replace(/\/graphql$/, '/metrics');
    const before = sample(await metricsOf(contactsMetrics), 'subgraph_audit_writes_total', { subgraph: 'contacts', result: 'written' });
    const support = await t.tokenFor('SUPPORT');
    const res = await t.query('{ contacts(first: 2) { nodes { name email } } }', { token: support, headers: { 'x-purpose': 'SUPPORT' } });
    expect(res.body.errors).toBeUndefined();
    const after = sample(await metricsOf(contactsMetrics), 'subgraph_audit_writes_total', { subgraph: 'contacts', result: 'written' });
    expect(after - before).toBe(1);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(t.gatewayUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });

  it('answers a preflight from an allowed origin with 204 and what it may send', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toEqual(expect.stringContaining('authorization'));
    expect(res.headers.get('access-control-allow-headers')).toEqual(expect.stringContaining('x-purpose'));
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('gives any other origin no CORS headers', async () => {
    const res = await preflight('https://evil.example.net');
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
    const post = await t.query('{ __typename }', { headers: { origin: 'https://evil.example.net' } });
    expect(post.status).toBe(200); // not a browser: the answer is sent, but no browser may hand it to that page
  });

  it('marks answers to an allowed origin, and leaves requests without Origin alone', async () => {
    const allowed = await fetch(t.gatewayUrl, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: '{"query":"{ me { name } }"}' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(((await allowed.json()) as any).data.me.name).toBe(t.demo.users[0]!.name);
    const other = await fetch(t.gatewayUrl, { method: 'POST', headers: { origin: 'https://evil.example.net', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const server = await fetch(t.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(server.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the policy view (development)', () => {
  it('shows the policy for the caller of the token and purpose sent', async () => {
    const res = await fetch(`${base}/dev/policy`, { headers: { authorization: `Bearer ${await t.tokenFor('MEMBER')}`, 'x-purpose': 'ANALYTICS' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.caller).toEqual({ role: 'MEMBER', purpose: 'ANALYTICS', ticket: false, partnerScopes: [] });
    const email = body.fields.find((f: { type: string; field: string }) => f.type === 'Contact' && f.field === 'email');
    // ANALYTICS rests on consent: without it the value is masked, with it the role's rule applies.
    expect(email.relations.SAME_TEAM).toEqual({ withoutConsent: { effect: 'MASK', reason: 'NO_CONSENT' }, withEveryConsent: { effect: 'FULL', reason: 'TEAM_CONTACT' } });
  });

  it('uses the partner app of the token', async () => {
    const partner = await mintDevToken({ sub: t.demo.users[0]!.id, tenant: t.demo.tenants[0]!.id, role: 'PARTNER', partner: 'marketplace-dialer' });
    const body = (await (await fetch(`${base}/dev/policy`, { headers: { authorization: `Bearer ${partner}` } })).json()) as any;
    expect(body.caller).toMatchObject({ role: 'PARTNER', purpose: 'PARTNER_SHARING', partnerScopes: ['profile', 'contacts.pseudonymous'] });
  });

  it('refuses a missing token and a purpose the role may not use, with their codes', async () => {
    const anonymous = await fetch(`${base}/dev/policy`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const refused = await fetch(`${base}/dev/policy`, { headers: { authorization: `Bearer ${await t.tokenFor('MEMBER')}`, 'x-purpose': 'LEGAL' } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).errors[0].extensions.code).toBe('PURPOSE_NOT_ALLOWED');
  });
});

describe('token claims', () => {
  it('says which claim is wrong', async () => {
    const noTenant = await mintDevToken({ sub: t.demo.users[0]!.id, role: 'ADMIN' } as never);
    const res = await t.query('{ me { id } }', { token: noTenant });
    expect(res.status).toBe(401);
    expect(res.body.errors![0]!.message).toBe('Invalid access token (claim tenant: missing)');
    const badRole = await mintDevToken({ sub: t.demo.users[0]!.id, tenant: t.demo.tenants[0]!.id, role: 'OWNER' as never });
    expect((await t.query('{ me { id } }', { token: badRole })).body.errors![0]!.message).toMatch(/^Invalid access token \(claim role: /);
  });
});
