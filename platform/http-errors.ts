import type { ErrorRequestHandler, RequestHandler } from 'express';
import { childLogger } from './logger';

const log = childLogger('http');

export const graphQLError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/**
 * Errors raised before GraphQL runs (body parsing, size limit) answer in GraphQL's shape with a
 * code, never with an HTML page or a stack trace.
 */
export const httpErrorHandler: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error.type === 'entity.too.large') return void res.status(413).json(graphQLError('Request body is too large', 'PAYLOAD_TOO_LARGE'));
  if (error.type === 'entity.parse.failed') return void res.status(400).json(graphQLError('Request body is not valid JSON', 'BAD_REQUEST'));
  log.error({ type: error.type, status: error.status }, 'request failed before GraphQL');
  res.status(error.status && error.status < 500 ? error.status : 500).json(graphQLError('Request could not be processed', error.status && error.status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR'));
};

/** Caps how many operations one batched HTTP request may carry (1 = no batching). */
export function operationsPerRequest(max: number): RequestHandler {
  return (req, res, next) => {
    if (Array.isArray(req.body) && (req.body.length > max || req.body.length === 0)) {
      return void res.status(400).json(graphQLError(`A request may carry 1 to ${max} operations`, 'TOO_MANY_OPERATIONS'));
    }
    next();
  };
}

/**
 * GraphQL answers carry personal data shaped for one caller: no browser, proxy or CDN may keep a
 * copy (with the cache-control plugin disabled, nothing else sets a caching header).
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};
