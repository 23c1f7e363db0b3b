import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { childLogger } from './logger';

const log = childLogger('http');

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Graceful stop: stops accepting connections, lets the requests in flight finish (up to the
   * shutdown timeout), then closes every connection. Calling it again awaits the same stop.
   */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Path appended to the URL the server reports (e.g. `/graphql`). */
  path?: string;
  /** How long close() waits for requests in flight before it cuts their connections. */
  shutdownTimeoutMs?: number;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Tracks the requests a server is answering, so a stop can wait for exactly those. Keep-alive
 * connections are closed as soon as they fall idle, and an answer still to be written during a stop
 * says `connection: close`, so no client sends a new request onto a connection about to close.
 */
function drainer(server: Server, timeoutMs: number) {
  const active = new Set<ServerResponse>();
  let stopping = false;
  let drained: (() => void) | undefined;

  server.on('request', (_req, res: ServerResponse) => {
    active.add(res);
    if (stopping) res.setHeader('connection', 'close');
    res.once('close', () => {
      active.delete(res);
      if (!stopping) return;
      // The connection it used is idle now (or about to be): close it rather than keep it alive.
      setImmediate(() => server.closeIdleConnections());
      if (active.size === 0) drained?.();
    });
  });

  return async (): Promise<void> => {
    stopping = true;
    const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    server.closeIdleConnections();
    for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
    if (active.size > 0) {
      log.info({ inFlight: active.size, timeoutMs }, 'draining requests in flight');
      const finished = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
        drained = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!finished) log.warn({ cut: active.size }, 'shutdown timeout: closing connections of unfinished requests');
    }
    server.closeAllConnections();
    await closed;
  };
}

/** Listens on host:port (0 = any free port) and resolves once the socket is bound. */
export function listen(app: Express, host: string, port: number, options: ListenOptions | string = {}): Promise<RunningServer> {
  const { path = '', shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS } = typeof options === 'string' ? { path: options } : options;
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    const drain = drainer(server, shutdownTimeoutMs);
    server.once('error', reject);
    server.once('listening', () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({ url: `http://${host}:${bound}${path}`, port: bound, close: once(drain) });
    });
  });
}

/** Wraps a shutdown so that calling it twice is harmless: the second call awaits the first. */
export function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}
