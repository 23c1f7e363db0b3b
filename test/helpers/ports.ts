import net from 'node:net';
import { SUBGRAPH_NAMES } from '../../subgraphs/shared/subgraph';

/**
 * Ports the operating system says are free, all held at once so no two are alike, then released
 * for a child process to bind. A random pick from a range could land on a port another test (or
 * an outgoing connection's ephemeral port) already holds.
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** `PORT` for the gateway and `<NAME>_PORT` for every subgraph, as the stack's config reads them. */
export async function stackPortEnv(): Promise<{ gateway: number; env: Record<string, string> }> {
  const [gateway, ...subgraphs] = await freePorts(1 + SUBGRAPH_NAMES.length);
  const env: Record<string, string> = { PORT: String(gateway) };
  SUBGRAPH_NAMES.forEach((name, i) => (env[`${name.toUpperCase()}_PORT`] = String(subgraphs[i])));
  return { gateway: gateway!, env };
}
