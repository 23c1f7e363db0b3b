import { mintDevToken, type DevTokenClaims } from '../../gateway/dev-tokens';
import type { Role } from '../../privacy/policy';
import { generateDemoData, type DemoData } from '../../seed/generate';
import { startStack, type Stack, type StackOptions } from '../../stack';
import { createTestDatabase, type TestDatabase } from './database';

export interface GraphQLResponse<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> };
}

export interface TestStack {
  stack: Stack;
  database: TestDatabase;
  /** The demo data the store was seeded with, to compare answers against. */
  demo: DemoData;
  gatewayUrl: string;
  query<T = any>(query: string, options?: { token?: string; variables?: Record<string, unknown>; headers?: Record<string, string> }): Promise<GraphQLResponse<T>>;
  tokenFor(role: Role, options?: { tenant?: number; user?: string; claims?: Partial<DevTokenClaims> }): Promise<string>;
  close(): Promise<void>;
}

export async function postGraphQL(url: string, body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** Starts the whole product in-process on free ports, on a fresh seeded database of its own. */
export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const ports = { accounts: 0, contacts: 0, calls: 0, location: 0, privacy: 0 };
  const stack = await startStack({
    seedIfEmpty: true,
    // No rights worker polls the store in the background: a test that wants one runs it (and tests
    // that count statements count only their requests').
    rightsWorker: false,
    ...options,
    subgraph: { databaseUrl: database.url, host: '127.0.0.1', ports, ...options.subgraph },
    gateway: { host: '127.0.0.1', port: 0, ...options.gateway },
  });
  const demo = generateDemoData({ scale: options.seedScale });
  const gatewayUrl = stack.gateway.url;

  return {
    stack,
    database,
    demo,
    gatewayUrl,
    query: (query, { token, variables, headers } = {}) =>
      postGraphQL(gatewayUrl, { query, variables }, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }),
    tokenFor: (role, { tenant = 0, user, claims } = {}) => {
      const tenantRow = demo.tenants[tenant]!;
      const members = demo.users.filter((u) => u.tenantId === tenantRow.id);
      const subject = members.find((u) => u.id === user) ?? members[0]!;
      return mintDevToken({ sub: subject.id, tenant: tenantRow.id, role, ...(subject.teamId ? { team: subject.teamId } : {}), ...claims });
    },
    close: async () => {
      await stack.close();
      await database.drop();
    },
  };
}
