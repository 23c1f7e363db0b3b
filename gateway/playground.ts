import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { GraphQLError, buildSchema, parse } from 'graphql';
import { z } from 'zod';
import { readClassification } from '../privacy/classification';
import { defaultPurposeOf, isPurpose, ROLE_PURPOSES, ROLES } from '../privacy/policy';
import { policyView } from '../privacy/policy-view';
import type { Authenticator } from './auth';
import { establishCaller } from './caller';
import { mintDevToken } from './dev-tokens';

/** Where `npm run build:playground` puts the bundle: playground/dist, from sources or from dist/. */
export const PLAYGROUND_DIR =
  [path.resolve(__dirname, '..', 'playground', 'dist'), path.resolve(__dirname, '..', '..', 'playground', 'dist')].find((dir) =>
    fs.existsSync(path.dirname(dir)),
  ) ?? path.resolve(__dirname, '..', 'playground', 'dist');

const page = (development: boolean) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CRM privacy gateway · playground</title>
<link rel="stylesheet" href="/playground/app.css">
</head>
<body>
<div id="root"></div>
<script>window.__PLAYGROUND__ = ${JSON.stringify({ development })};</script>
<script src="/playground/app.js"></script>
</body>
</html>`;

const tokenRequest = z.object({
  tenant: z.string().min(1).max(64),
  role: z.enum(ROLES),
  user: z.string().uuid().optional(),
  purpose: z.string().optional(),
  ticket: z.boolean().optional(),
  partner: z.string().max(100).optional(),
});

export interface PlaygroundOptions {
  development: boolean;
  /** The supergraph served: its `@personal` classification lists the fields of the privacy view. */
  supergraphSdl: string;
  authenticator: Authenticator;
}

/** A demo phone number that is in the demo data: a contact of the first tenant with a call, written the way people type it. */
function examplePhone(demo: import('../seed/generate').DemoData): string | undefined {
  const tenantId = demo.tenants[0]?.id;
  const called = new Set(demo.callLogs.map((c) => c.contactId));
  const phone = demo.contacts.find((c) => c.tenantId === tenantId && c.phone && called.has(c.id))?.phone ?? undefined;
  return phone?.replace(/^(\+\d{2})(\d{5})(\d+)$/, '$1 $2 $3');
}

/**
 * GraphiQL at GET / and GET /graphql (for browsers), bundled at build time: nothing is loaded from
 * outside the gateway. In development the page also gets a caller switcher, backed by /dev/personas
 * and /dev/token, and a privacy view of the schema (/dev/policy); in production those routes do
 * not exist.
 */
export function playgroundRouter({ development, supergraphSdl, authenticator }: PlaygroundOptions): Router {
  const router = express.Router();
  const html = page(development);
  const wantsPage = (req: express.Request) => req.method === 'GET' && req.accepts(['html', 'json']) === 'html' && !req.query.query;
  router.get(['/', '/graphql'], (req, res, next) => (wantsPage(req) ? res.type('html').send(html) : next()));
  router.use('/playground', express.static(PLAYGROUND_DIR, { fallthrough: false, index: false }));
  if (!development) return router;

  // Development only: demo personas and tokens for them (seed data is fictional).
  const { demoClaims, demoDirectory } = require('../seed/personas') as typeof import('../seed/personas');
  const { DEMO_PARTNER_APPS, generateDemoData } = require('../seed/generate') as typeof import('../seed/generate');
  const examples = { phone: examplePhone(generateDemoData()) };
  router.get('/dev/personas', (_req, res) => {
    res.json({ ...demoDirectory(), roles: ROLES.map((role) => ({ role, purposes: ROLE_PURPOSES[role] })), examples });
  });

  // The policy as the caller of the request meets it: same token and x-purpose as /graphql.
  const classification = readClassification(parse(supergraphSdl));
  // The supergraph's field types, so the view shows each decision as applied to its field.
  const schema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  router.get('/dev/policy', async (req, res) => {
    try {
      const identity = await authenticator.authenticate(req.header('authorization'));
      if (!identity) return void res.status(401).json({ errors: [{ message: 'Send the caller\'s token', extensions: { code: 'UNAUTHENTICATED' } }] });
      const caller = establishCaller(identity, req.header('x-purpose'), 'policy-view');
      // Development only: a partner app's scopes are those it is registered for (the demo installs grant them all).
      const app = DEMO_PARTNER_APPS.find((a) => a.clientId === caller.partnerClientId);
      const partnerScopes = app ? app.allowedScopes.split(',').map((s) => s.trim()) : [];
      const facts = { role: caller.role, purpose: caller.purpose, ticket: caller.ticket !== undefined, partnerScopes };
      res.json({ caller: facts, fields: policyView(classification, facts, schema) });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 400;
      res.status(status).json({ errors: [{ message: error.message, extensions: { code: error.extensions.code } }] });
    }
  });
  router.post('/dev/token', express.json({ limit: '4kb' }), async (req, res) => {
    const parsed = tokenRequest.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ errors: [{ message: 'Invalid caller', extensions: { code: 'BAD_USER_INPUT' } }] });
    const { role, tenant, user, ticket, partner } = parsed.data;
    const purpose = parsed.data.purpose && isPurpose(parsed.data.purpose) ? parsed.data.purpose : defaultPurposeOf(role);
    try {
      const claims = demoClaims({ role, tenant, user, partner, ticket: ticket ? 'T-DEMO' : undefined });
      res.json({ token: await mintDevToken(claims, { expiresIn: '8h' }), purpose });
    } catch {
      res.status(400).json({ errors: [{ message: 'Unknown tenant or user', extensions: { code: 'BAD_USER_INPUT' } }] });
    }
  });
  return router;
}

export const playgroundBuilt = (): boolean => fs.existsSync(path.join(PLAYGROUND_DIR, 'app.js'));
