import express, { type Request, type Response, type Router } from 'express';
import { childLogger } from '../../platform/logger';
import { verifyRightsSignature } from '../../privacy/rights/client';
import { RIGHTS_PATH, RIGHTS_SIGNATURE_HEADER, rightsCall } from '../../privacy/rights/contract';
import { RightsError, type RightsPart } from '../../privacy/rights/part';

/**
 * The rights contract served on a subgraph's own port at RIGHTS_PATH: POST, JSON, signed by the
 * rights worker with the internal secret. The gateway forwards only GraphQL, so this is never
 * reachable through it; keep it off the public route as /metrics is. Errors are
 * `{ error: { code, message } }` with 400/401/404/503, never a stack.
 */
export function rightsRouter(subgraph: string, part: RightsPart, internalSecret: string, bodyLimit: string): Router {
  const log = childLogger(subgraph);
  const router = express.Router();
  const fail = (res: Response, status: number, code: string, message: string) => void res.status(status).json({ error: { code, message } });
  router.post(RIGHTS_PATH, express.raw({ type: () => true, limit: bodyLimit }), async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyRightsSignature(internalSecret, req.header(RIGHTS_SIGNATURE_HEADER), raw);
    if (check !== 'ok') {
      log.warn({ reason: check }, 'refused a rights call without a valid signature');
      return fail(res, 401, 'UNAUTHENTICATED', `The rights call is not signed (${check})`);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return fail(res, 400, 'BAD_REQUEST', 'The body is not JSON');
    }
    const parsed = rightsCall.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(res, 400, 'BAD_REQUEST', `Invalid rights call${issue ? ` at ${issue.path.join('.') || 'body'}: ${issue.message}` : ''}`);
    }
    try {
      const answer = await part.handle(parsed.data);
      log.info({ op: parsed.data.op }, 'rights call answered');
      res.status(200).json(answer);
    } catch (error) {
      if (error instanceof RightsError) return fail(res, error.status, error.code, error.message);
      log.error({ op: parsed.data.op, err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } }, 'rights call failed');
      fail(res, 503, 'UNAVAILABLE', 'The store could not carry out this call; try again');
    }
  });
  return router;
}
