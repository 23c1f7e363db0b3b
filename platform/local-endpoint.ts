/**
 * A GraphQL endpoint answered inside this process, for callers in the same process (the gateway
 * of `npm start` and its subgraphs). It is the HTTP request and answer without the socket: the
 * same headers and body go in, the same status, headers and body come out, and the endpoint runs
 * its whole request pipeline on them (a subgraph still checks the signed gateway context).
 */
export interface LocalRequest {
  /** Lower-case header names, as an HTTP server would see them. */
  headers: Record<string, string>;
  /** The request body as sent over HTTP (JSON). */
  body: string;
}

export interface LocalAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface LocalEndpoint {
  /** Throws LocalEndpointClosedError once the endpoint has begun to stop, as a closed port refuses a connection. */
  answer(request: LocalRequest): Promise<LocalAnswer>;
}

export class LocalEndpointClosedError extends Error {
  readonly code = 'ECONNREFUSED';
  constructor(name: string) {
    super(`${name} is not accepting requests`);
    this.name = 'LocalEndpointClosedError';
  }
}
