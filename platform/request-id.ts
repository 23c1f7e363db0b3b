import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

interface RequestIds {
  /** Made here for every request: unique, so audit records and logs can be keyed by it. */
  requestId: string;
  /** The client's own `x-request-id`, when well-formed: only for matching our logs with theirs. */
  correlationId?: string;
}

const storage = new AsyncLocalStorage<RequestIds>();

/**
 * Gives every HTTP request an id of the service's own (answered in `x-request-id`) that error
 * formatting, logs and audit records read. A client's `x-request-id` never becomes that id — two
 * callers could send the same one — it is kept beside it as the correlation id.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  const ids: RequestIds = { requestId: randomUUID(), ...(incoming && /^[A-Za-z0-9._:-]{1,64}$/.test(incoming) ? { correlationId: incoming } : {}) };
  res.setHeader('x-request-id', ids.requestId);
  storage.run(ids, next);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
