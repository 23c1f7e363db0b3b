/**
 * `npm run bench:gateway`: the gateway's own cost on a one-subgraph query. Starts the whole stack
 * in this process on a fresh embedded store and sends `{ me { id name } }` through the gateway and
 * the same operation straight to the accounts subgraph (its signed context made beforehand, so the
 * subgraph's figure carries no signing), alternating one request each. Prints p50/p99 of both and
 * their ratio. The gateway reaches the subgraph in-process, as `npm start`'s does, or over HTTP
 * (`--transport http`, as a gateway in its own process does).
 *   npm run bench:gateway -- [--requests 1500] [--warmup 200] [--transport in-process|http]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mintDevToken } from '../gateway/dev-tokens';
import { DEV_INTERNAL_SECRET } from '../platform/env';
import type { Caller } from '../privacy/caller';
import { CONTEXT_HEADER, ContextSigner } from '../privacy/signed-context';
import { generateDemoData } from '../seed/generate';
import { startStack } from '../stack';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '1500' }, warmup: { type: 'string', default: '200' }, transport: { type: 'string', default: 'in-process' } },
});
if (values.transport !== 'in-process' && values.transport !== 'http') throw new Error('--transport is in-process or http');

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-gateway-'));
  const stack = await startStack({
    subgraph: {
      databaseUrl: `sqlite:${path.join(dir, 'crm.sqlite')}`,
      ports: { accounts: 0, contacts: 0, calls: 0, location: 0, privacy: 0 },
      subgraphTransport: values.transport as 'in-process' | 'http',
    },
    gateway: { port: 0 },
  } as Parameters<typeof startStack>[0]);
  try {
    const user = generateDemoData().users[0]!;
    const token = await mintDevToken({ sub: user.id, tenant: user.tenantId, role: 'ADMIN' });
    const caller: Caller = { userId: user.id, tenantId: user.tenantId, role: 'ADMIN', purpose: 'SERVICE', requestId: 'bench', ...(user.teamId ? { teamId: user.teamId } : {}) };
    const query = '{ me { id name } }';
    const time = async (url: string, headers: Record<string, string>) => {
      const started = performance.now();
      await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) })).text();
      return performance.now() - started;
    };
    const signer = new ContextSigner(DEV_INTERNAL_SECRET);
    const viaGateway = () => time(stack.gateway.url, { authorization: `Bearer ${token}` });
    const direct = async () => time(stack.subgraphs.accounts.url, { [CONTEXT_HEADER]: await signer.sign(caller, 'accounts', { query }) });
    for (let i = 0; i < Number(values.warmup); i += 1) {
      await viaGateway();
      await direct();
    }
    const gateway: number[] = [];
    const subgraph: number[] = [];
    for (let i = 0; i < Number(values.requests); i += 1) {
      gateway.push(await viaGateway());
      subgraph.push(await direct());
    }
    const at = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)]!;
    console.log(`requests: ${values.requests} each (after ${values.warmup} warm-up), alternating, one at a time; gateway to subgraph: ${values.transport}`);
    console.log(`gateway   p50 ${at(gateway, 0.5).toFixed(2)} ms  p99 ${at(gateway, 0.99).toFixed(2)} ms`);
    console.log(`subgraph  p50 ${at(subgraph, 0.5).toFixed(2)} ms  p99 ${at(subgraph, 0.99).toFixed(2)} ms`);
    console.log(`gateway / subgraph p50: ${(at(gateway, 0.5) / at(subgraph, 0.5)).toFixed(2)}x`);
  } finally {
    await stack.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
