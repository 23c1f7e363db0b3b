import { z } from 'zod';
import { DEFAULT_SUPERGRAPH_PATH } from '../schema';
import { DEV_INTERNAL_SECRET, DEV_JWT_SECRET, parseEnv, port, shutdownTimeout, type ConfigProblem } from '../platform/env';
import { parseOrigins } from './cors';

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
  PRIVACY_URL: optionalUrl,
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
  SHUTDOWN_TIMEOUT_MS: shutdownTimeout,
  CORS_ORIGINS: z.string().default('').transform((value, ctx) => {
    try {
      return parseOrigins(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
});

/** Secrets that may come from a mounted file instead (`JWT_PUBLIC_KEY_FILE=/run/secrets/jwt.pem`). */
const SECRET_FILES = ['JWT_SECRET', 'JWT_PUBLIC_KEY', 'INTERNAL_SIGNING_SECRET'];

/** Algorithms a production token may be signed with: asymmetric only, so the gateway holds no signing key. */
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$/;

/** What production requires beyond well-formed values: real keys, never the development ones. */
function productionRules(parsed: Partial<z.infer<typeof schema>>): ConfigProblem[] {
  if (parsed.NODE_ENV !== 'production') return [];
  const problems: ConfigProblem[] = [];
  if (!parsed.JWT_JWKS_URL && !parsed.JWT_PUBLIC_KEY) {
    problems.push({ variable: 'JWT_JWKS_URL', message: 'production needs JWT_JWKS_URL or JWT_PUBLIC_KEY (the identity provider\'s keys), not a shared secret' });
  }
  if (parsed.JWT_ALGORITHMS !== undefined) {
    const refused = algorithmsOf(parsed.JWT_ALGORITHMS).filter((a) => !ASYMMETRIC.test(a));
    if (refused.length > 0 || algorithmsOf(parsed.JWT_ALGORITHMS).length === 0) {
      problems.push({ variable: 'JWT_ALGORITHMS', message: `production accepts asymmetric algorithms only (e.g. RS256, ES256); got ${parsed.JWT_ALGORITHMS || 'none'}` });
    }
  }
  if (parsed.INTERNAL_SIGNING_SECRET === DEV_INTERNAL_SECRET) {
    problems.push({ variable: 'INTERNAL_SIGNING_SECRET', message: 'must be set in production (32+ characters, the same for the gateway and every subgraph)' });
  }
  return problems;
}

const algorithmsOf = (list: string) => list.split(',').map((a) => a.trim()).filter(Boolean);

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
  /** How long a stop waits for requests in flight. */
  shutdownTimeoutMs: number;
  /** Browser origins allowed to call the API (CORS); empty: none. */
  corsOrigins: string[];
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = parseEnv(schema, env, { secretFiles: SECRET_FILES, rules: productionRules });
  const production = parsed.NODE_ENV === 'production';
  const algorithms = algorithmsOf(parsed.JWT_ALGORITHMS);

  let key: JwtKeySource;
  if (parsed.JWT_JWKS_URL) key = { kind: 'jwks', url: parsed.JWT_JWKS_URL };
  else if (parsed.JWT_PUBLIC_KEY) key = { kind: 'pem', pem: parsed.JWT_PUBLIC_KEY };
  else key = { kind: 'secret', secret: parsed.JWT_SECRET ?? DEV_JWT_SECRET };

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
      privacy: parsed.PRIVACY_URL,
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
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    corsOrigins: parsed.CORS_ORIGINS,
  };
}
