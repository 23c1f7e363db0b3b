import { z } from 'zod';

/** Development-only secrets: the gateway and subgraph configs refuse them when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0000000000';
export const DEV_INTERNAL_SECRET = 'dev-only-internal-signing-secret-00000000';
export const DEV_PSEUDONYM_SECRET = 'dev-only-pseudonym-master-secret-0000000';
export const DEV_AUDIT_KEY = 'dev-only-audit-chain-key-000000000000000';

/** Parses `process.env` with a zod schema and fails fast with a readable list of the bad variables. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return result.data;
}

export const port = z.coerce.number().int().min(0).max(65535);
