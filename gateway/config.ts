import { z } from 'zod';
import { DEFAULT_SUPERGRAPH_PATH } from '../schema';
import { DEV_INTERNAL_SECRET, DEV_JWT_SECRET, parseEnv, port } from '../platform/env';

const optionalUrl = z.string().url().optional();

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(4000),
  SUPERGRAPH_PATH: z.string().default(DEFAULT_SUPERGRAPH_PATH),
  ACCOUNTS_URL: optionalUrl,
  CONTACTS_URL: optionalUrl,
  CALLS_URL: optionalUrl,
  LOCATION_URL: optionalUrl,
  JWT_SECRET: z.string().min(32).optional(),
  JWT_JWKS_URL: optionalUrl,
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_ALGORITHMS: z.string().default('HS256'),
  JWT_ISSUER: z.string().default('crm-auth'),
  JWT_AUDIENCE: z.string().default('crm-api'),
  INTERNAL_SIGNING_SECRET: z.string().min(32).default(DEV_INTERNAL_SECRET),
  BODY_LIMIT: z.string().default('1mb'),
  HEALTH_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
  MAX_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_ALIASES: z.coerce.number().int().nonnegative().default(20),
  MAX_COST: z.coerce.number().int().positive().default(10000),
  MAX_OPERATIONS: z.coerce.number().int().positive().default(5),
  MAX_TOKENS: z.coerce.number().int().positive().default(1000),
  MAX_DIRECTIVES: z.coerce.number().int().nonnegative().default(20),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
  PLAYGROUND: z.enum(['on', 'off']).optional(),
});

export type JwtKeySource =
  | { kind: 'secret'; secret: string }
  | { kind: 'jwks'; url: string }
  | { kind: 'pem'; pem: string };

export interface GatewayConfig {
  production: boolean;
  host: string;
  port: number;
  supergraphPath: string;
  /** Per-subgraph URL overrides; a subgraph without one uses the URL in the supergraph. */
  subgraphUrls: Partial<Record<string, string>>;
  jwt: { key: JwtKeySource; algorithms: string[]; issuer: string; audience: string };
  internalSecret: string;
  bodyLimit: string;
  healthTimeoutMs: number;
  limits: { maxDepth: number; maxAliases: number; maxCost: number; maxOperations: number; maxTokens: number; maxDirectives: number };
  /** How long one subgraph fetch may take before that part of the answer is SERVICE_UNAVAILABLE. */
  subgraphTimeoutMs: number;
  /** Serve the GraphiQL playground (default: on in development, off in production). */
  playground: boolean;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = parseEnv(schema, env);
  const production = parsed.NODE_ENV === 'production';
  const algorithms = parsed.JWT_ALGORITHMS.split(',').map((a) => a.trim()).filter(Boolean);

  let key: JwtKeySource;
  if (parsed.JWT_JWKS_URL) key = { kind: 'jwks', url: parsed.JWT_JWKS_URL };
  else if (parsed.JWT_PUBLIC_KEY) key = { kind: 'pem', pem: parsed.JWT_PUBLIC_KEY };
  else key = { kind: 'secret', secret: parsed.JWT_SECRET ?? DEV_JWT_SECRET };

  if (production) {
    if (key.kind === 'secret') throw new Error('Production needs JWT_JWKS_URL or JWT_PUBLIC_KEY, not a shared secret');
    if (algorithms.some((a) => a.startsWith('HS') || a === 'none')) throw new Error('Production accepts RS256/ES256 tokens only');
    if (parsed.INTERNAL_SIGNING_SECRET === DEV_INTERNAL_SECRET) throw new Error('INTERNAL_SIGNING_SECRET must be set in production');
  }

  return {
    production,
    host: parsed.HOST,
    port: parsed.PORT,
    supergraphPath: parsed.SUPERGRAPH_PATH,
    subgraphUrls: {
      accounts: parsed.ACCOUNTS_URL,
      contacts: parsed.CONTACTS_URL,
      calls: parsed.CALLS_URL,
      location: parsed.LOCATION_URL,
    },
    jwt: { key, algorithms, issuer: parsed.JWT_ISSUER, audience: parsed.JWT_AUDIENCE },
    internalSecret: parsed.INTERNAL_SIGNING_SECRET,
    bodyLimit: parsed.BODY_LIMIT,
    healthTimeoutMs: parsed.HEALTH_TIMEOUT_MS,
    playground: parsed.PLAYGROUND ? parsed.PLAYGROUND === 'on' : !production,
    limits: {
      maxDepth: parsed.MAX_DEPTH,
      maxAliases: parsed.MAX_ALIASES,
      maxCost: parsed.MAX_COST,
      maxOperations: parsed.MAX_OPERATIONS,
      maxTokens: parsed.MAX_TOKENS,
      maxDirectives: parsed.MAX_DIRECTIVES,
    },
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
  };
}
