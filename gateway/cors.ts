import type { RequestHandler } from 'express';

/** Headers a browser app may send: JSON bodies, the bearer token, the declared purpose, a request id. */
const ALLOWED_HEADERS = 'authorization, content-type, x-purpose, x-request-id, apollo-require-preflight';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * `CORS_ORIGINS`: a comma-separated list of exact origins (`https://app.example.com`). Wildcards
 * are refused on purpose: answers carry personal data, so every browser origin is named.
 */
export function parseOrigins(list: string): string[] {
  const origins: string[] = [];
  for (const entry of list.split(',').map((e) => e.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`"${entry}" is not an origin (scheme://host[:port])`);
    }
    if (!/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
      throw new Error(`"${entry}" is not an origin (scheme://host[:port], no path, no wildcard)`);
    }
    origins.push(url.origin);
  }
  return origins;
}

/**
 * Cross-origin access for the listed browser origins only. A request from a listed origin gets
 * `Access-Control-Allow-Origin` with that origin, and its preflight a 204 with the methods and
 * headers it may use. Any other origin gets no CORS headers (the browser then refuses to hand
 * the answer to the page), and its preflight a 403. Requests without `Origin` (servers, curl) are
 * not affected. No credentials mode: the API authenticates with a bearer token, not cookies.
 */
export function corsAllowList(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.header('origin');
    if (origin === undefined) return next();
    res.vary('Origin');
    const preflight = req.method === 'OPTIONS' && req.header('access-control-request-method') !== undefined;
    if (!allowed.has(origin)) {
      if (preflight) return void res.status(403).json({ errors: [{ message: 'This origin may not call the API from a browser', extensions: { code: 'FORBIDDEN' } }] });
      return next();
    }
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'x-request-id');
    if (!preflight) return next();
    res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
    res.status(204).end();
  };
}
