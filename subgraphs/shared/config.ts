import { z } from 'zod';
import { DEV_AUDIT_KEY, DEV_INTERNAL_SECRET, DEV_PSEUDONYM_SECRET, parseEnv, port, shutdownTimeout, type ConfigProblem } from '../../platform/env';
import { DEFAULT_DATABASE_URL } from '../../platform/database';
import type { PrivacyEngine } from '../../privacy/enforcement/shield';
import type { DataSubgraphName, SubgraphName } from './subgraph';

export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  accounts: 4001,
  contacts: 4002,
  calls: 4003,
  location: 4004,
  privacy: 4005,
};

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.optional(),
  ACCOUNTS_PORT: port.default(DEFAULT_SUBGRAPH_PORTS.accounts),
  CONTACTS_PORT: port.default(DEFAULT_SUBGRAPH_PORTS.contacts),
  CALLS_PORT: port.default(DEFAULT_SUBGRAPH_PORTS.calls),
  LOCATION_PORT: port.default(DEFAULT_SUBGRAPH_PORTS.location),
  PRIVACY_PORT: port.default(DEFAULT_SUBGRAPH_PORTS.privacy),
  ACCOUNTS_URL: z.string().url().optional(),
  CONTACTS_URL: z.string().url().optional(),
  CALLS_URL: z.string().url().optional(),
  LOCATION_URL: z.string().url().optional(),
  RIGHTS_MAX_REQUESTS_PER_30_DAYS: z.coerce.number().int().positive().default(5),
  RIGHTS_WORKER: z.enum(['on', 'off']).default('on'),
  SUBGRAPH_TRANSPORT: z.enum(['in-process', 'http']).default('in-process'),
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  INTERNAL_SIGNING_SECRET: z.string().min(32).default(DEV_INTERNAL_SECRET),
  BODY_LIMIT: z.string().default('1mb'),
  PSEUDONYM_SECRET: z.string().min(32).default(DEV_PSEUDONYM_SECRET),
  AUDIT_KEY: z.string().min(32).default(DEV_AUDIT_KEY),
  PRIVACY_ENFORCEMENT: z.enum(['on', 'off']).default('on'),
  PRIVACY_ENGINE: z.enum(['compiled', 'shield']).default('compiled'),
  RECORDINGS_BASE_URL: z.string().url().default('http://127.0.0.1:4000/recordings'),
  SHUTDOWN_TIMEOUT_MS: shutdownTimeout,
  RETENTION_SCHEDULE: z.enum(['on', 'off']).optional(),
  RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(525_600).default(1440),
  EXPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

/** Secrets that may come from a mounted file instead (`PSEUDONYM_SECRET_FILE=/run/secrets/pseudonym`). */
const SECRET_FILES = ['DATABASE_URL', 'INTERNAL_SIGNING_SECRET', 'PSEUDONYM_SECRET', 'AUDIT_KEY'];

/** What production requires beyond well-formed values: its own secrets, the policy enforced. */
function productionRules(parsed: Partial<z.infer<typeof schema>>): ConfigProblem[] {
  if (parsed.NODE_ENV !== 'production') return [];
  const problems: ConfigProblem[] = [];
  if (parsed.INTERNAL_SIGNING_SECRET === DEV_INTERNAL_SECRET) problems.push({ variable: 'INTERNAL_SIGNING_SECRET', message: 'must be set in production (32+ characters, the same for the gateway and every subgraph)' });
  if (parsed.PSEUDONYM_SECRET === DEV_PSEUDONYM_SECRET) problems.push({ variable: 'PSEUDONYM_SECRET', message: 'must be set in production (32+ characters, kept stable: pseudonyms derive from it)' });
  if (parsed.AUDIT_KEY === DEV_AUDIT_KEY) problems.push({ variable: 'AUDIT_KEY', message: 'must be set in production (32+ characters, held outside the store: it keys the audit chain)' });
  if (parsed.PRIVACY_ENFORCEMENT === 'off') problems.push({ variable: 'PRIVACY_ENFORCEMENT', message: 'cannot be off in production' });
  return problems;
}

export interface SubgraphConfig {
  host: string;
  ports: Record<SubgraphName, number>;
  databaseUrl: string;
  internalSecret: string;
  introspection: boolean;
  bodyLimit: string;
  pseudonymSecret: string;
  /** HMAC key of the audit chain, held outside the store. */
  auditKey: string;
  privacyEnforcement: boolean;
  privacyEngine: PrivacyEngine;
  recordingsBaseUrl: string;
  shutdownTimeoutMs: number;
  /** Run retention on a schedule in this process (default: on, except under tests). */
  retentionSchedule: boolean;
  /** How often the retention run is due. */
  retentionIntervalMs: number;
  /** Days an access or export document is held after its request completed (then the retention run deletes it). */
  exportRetentionDays: number;
  /** Where the privacy subgraph and the rights worker reach each data subgraph (its /graphql URL; the rights path replaces it). */
  dataSubgraphUrls: Record<DataSubgraphName, string>;
  /** More requests about one subject in 30 days are rejected as manifestly excessive. */
  rightsMaxRequestsPer30Days: number;
  /** Run the rights worker inside `npm start` (off: run `npm run worker` elsewhere). */
  rightsWorker: boolean;
  /** How `npm start`'s gateway reaches the subgraphs it runs: in this process (no socket) or over HTTP. */
  subgraphTransport: 'in-process' | 'http';
}

export function loadSubgraphConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const parsed = parseEnv(schema, env, { secretFiles: SECRET_FILES, rules: productionRules });
  return {
    host: parsed.HOST,
    ports: {
      accounts: parsed.ACCOUNTS_PORT,
      contacts: parsed.CONTACTS_PORT,
      calls: parsed.CALLS_PORT,
      location: parsed.LOCATION_PORT,
      privacy: parsed.PRIVACY_PORT,
    },
    databaseUrl: parsed.DATABASE_URL,
    internalSecret: parsed.INTERNAL_SIGNING_SECRET,
    introspection: parsed.NODE_ENV !== 'production',
    bodyLimit: parsed.BODY_LIMIT,
    pseudonymSecret: parsed.PSEUDONYM_SECRET,
    auditKey: parsed.AUDIT_KEY,
    privacyEnforcement: parsed.PRIVACY_ENFORCEMENT === 'on',
    privacyEngine: parsed.PRIVACY_ENGINE,
    recordingsBaseUrl: parsed.RECORDINGS_BASE_URL,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    retentionSchedule: (parsed.RETENTION_SCHEDULE ?? (parsed.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
    retentionIntervalMs: parsed.RETENTION_INTERVAL_MINUTES * 60_000,
    exportRetentionDays: parsed.EXPORT_RETENTION_DAYS,
    dataSubgraphUrls: {
      accounts: parsed.ACCOUNTS_URL ?? `http://127.0.0.1:${parsed.ACCOUNTS_PORT}/graphql`,
      contacts: parsed.CONTACTS_URL ?? `http://127.0.0.1:${parsed.CONTACTS_PORT}/graphql`,
      calls: parsed.CALLS_URL ?? `http://127.0.0.1:${parsed.CALLS_PORT}/graphql`,
      location: parsed.LOCATION_URL ?? `http://127.0.0.1:${parsed.LOCATION_PORT}/graphql`,
    },
    rightsMaxRequestsPer30Days: parsed.RIGHTS_MAX_REQUESTS_PER_30_DAYS,
    rightsWorker: parsed.RIGHTS_WORKER === 'on',
    subgraphTransport: parsed.SUBGRAPH_TRANSPORT,
  };
}
