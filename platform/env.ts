import fs from 'node:fs';
import { z } from 'zod';

/** Development-only secrets: the gateway and subgraph configs refuse them when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0000000000';
export const DEV_INTERNAL_SECRET = 'dev-only-internal-signing-secret-00000000';
export const DEV_PSEUDONYM_SECRET = 'dev-only-pseudonym-master-secret-0000000';
export const DEV_AUDIT_KEY = 'dev-only-audit-chain-key-000000000000000';

/** One thing wrong with the configuration, by the variable to fix. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Every problem of a configuration at once, each naming its variable, so one run finds them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface ParseEnvOptions<T> {
  /**
   * Secrets that may also come from a file: `<NAME>_FILE` holds a path whose content (without its
   * trailing newline) is the value, as Docker and Kubernetes secrets are mounted.
   */
  secretFiles?: readonly string[];
  /**
   * Rules across variables (production requirements). Gets every variable that parsed; one that
   * did not is already reported and absent here, so a rule skips it rather than guessing.
   */
  rules?: (parsed: Partial<T>) => ConfigProblem[];
}

/** Reads `<NAME>_FILE` into `<NAME>` for each secret; a path that cannot be read is a problem. */
function readSecretFiles(env: NodeJS.ProcessEnv, names: readonly string[], problems: ConfigProblem[]): NodeJS.ProcessEnv {
  const resolved = { ...env };
  for (const name of names) {
    const fileVariable = `${name}_FILE`;
    const file = env[fileVariable];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push({ variable: name, message: `set ${name} or ${fileVariable}, not both` });
      continue;
    }
    try {
      const value = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      if (value === '') problems.push({ variable: fileVariable, message: `${file} is empty` });
      else resolved[name] = value;
    } catch (error) {
      problems.push({ variable: fileVariable, message: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  return resolved;
}

/**
 * Parses the environment with a zod object schema, variable by variable, then applies the rules
 * across variables, and throws one ConfigError listing every problem (never a value: secrets stay
 * out of logs).
 */
export function parseEnv<S extends z.ZodRawShape>(
  schema: z.ZodObject<S>,
  env: NodeJS.ProcessEnv = process.env,
  options: ParseEnvOptions<z.infer<z.ZodObject<S>>> = {},
): z.infer<z.ZodObject<S>> {
  const problems: ConfigProblem[] = [];
  const source = readSecretFiles(env, options.secretFiles ?? [], problems);
  const parsed: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    // An empty variable counts as unset, as shells and compose files often leave them.
    const raw = source[name] === '' ? undefined : source[name];
    const result = field.safeParse(raw);
    if (result.success) parsed[name] = result.data;
    else problems.push(...result.error.issues.map((issue) => ({ variable: name, message: raw === undefined ? `is required (${issue.message})` : issue.message })));
  }
  const failed = new Set(problems.map((p) => p.variable));
  const known = Object.fromEntries(Object.entries(parsed).filter(([name]) => !failed.has(name))) as Partial<z.infer<z.ZodObject<S>>>;
  problems.push(...(options.rules?.(known) ?? []));
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed as z.infer<z.ZodObject<S>>;
}

export const port = z.coerce.number().int().min(0).max(65535);

/** How long a stopping service waits for requests in flight before it closes their connections. */
export const shutdownTimeout = z.coerce.number().int().min(0).max(600_000).default(10_000);
