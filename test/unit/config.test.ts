import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGatewayConfig } from '../../gateway/config';
import { loadSubgraphConfig } from '../../subgraphs/shared/config';
import { ConfigError } from '../../platform/env';

describe('configuration', () => {
  it('defaults to the documented ports, the embedded store and the development secret', () => {
    const gateway = loadGatewayConfig({});
    expect(gateway.port).toBe(4000);
    expect(gateway.host).toBe('127.0.0.1');
    expect(gateway.jwt.key.kind).toBe('secret');
    const subgraphs = loadSubgraphConfig({});
    expect(subgraphs.ports).toEqual({ accounts: 4001, contacts: 4002, calls: 4003, location: 4004, privacy: 4005 });
    expect(subgraphs.databaseUrl).toBe('sqlite:data/crm.sqlite');
  });

  it('honours overrides and refuses nonsense with the variable named', () => {
    expect(loadGatewayConfig({ PORT: '5000', CONTACTS_URL: 'http://contacts:4002/graphql' })).toMatchObject({
      port: 5000,
      subgraphUrls: { contacts: 'http://contacts:4002/graphql' },
    });
    expect(() => loadGatewayConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadSubgraphConfig({ CALLS_PORT: '70000' })).toThrow(/CALLS_PORT/);
  });

  it('refuses to start in production with development secrets', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/JWT_JWKS_URL or JWT_PUBLIC_KEY/);
    expect(() => loadGatewayConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks', JWT_ALGORITHMS: 'RS256' })).toThrow(/INTERNAL_SIGNING_SECRET/);
    const production = loadGatewayConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks', JWT_ALGORITHMS: 'RS256', INTERNAL_SIGNING_SECRET: 'p'.repeat(40) });
    expect(production.production).toBe(true);
    // The playground is off in production unless enabled.
    expect(production.playground).toBe(false);
    expect(loadGatewayConfig({}).playground).toBe(true);
  });
});

describe('configuration problems', () => {
  const problemsOf = (load: () => unknown): { variable: string; message: string }[] => {
    try {
      load();
    } catch (error) {
      if (error instanceof ConfigError) return [...error.problems];
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('reports every missing or invalid variable of a production gateway in one go, each by name', () => {
    const problems = problemsOf(() => loadGatewayConfig({ NODE_ENV: 'production', PORT: 'eighty', MAX_DEPTH: '-1' }));
    expect(problems.map((p) => p.variable).sort()).toEqual(['INTERNAL_SIGNING_SECRET', 'JWT_ALGORITHMS', 'JWT_JWKS_URL', 'MAX_DEPTH', 'PORT']);
    // The default HS256 is named as what production refuses.
    expect(problems.find((p) => p.variable === 'JWT_ALGORITHMS')!.message).toMatch(/asymmetric.*got HS256/);
    // The message lists them all, one per line.
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/3 problems[\s\S]*JWT_JWKS_URL[\s\S]*JWT_ALGORITHMS[\s\S]*INTERNAL_SIGNING_SECRET/);
  });

  it('reports every problem of a production subgraph in one go', () => {
    const problems = problemsOf(() => loadSubgraphConfig({ NODE_ENV: 'production', PRIVACY_ENFORCEMENT: 'off', CALLS_PORT: '70000' }));
    expect(problems.map((p) => p.variable).sort()).toEqual(['AUDIT_KEY', 'CALLS_PORT', 'INTERNAL_SIGNING_SECRET', 'PRIVACY_ENFORCEMENT', 'PSEUDONYM_SECRET']);
  });

  it('never puts a secret value in a problem', () => {
    const secret = 'short-secret-value';
    const problems = problemsOf(() => loadGatewayConfig({ INTERNAL_SIGNING_SECRET: secret }));
    expect(problems.map((p) => p.variable)).toEqual(['INTERNAL_SIGNING_SECRET']);
    expect(JSON.stringify(problems)).not.toContain(secret);
  });

  it('accepts a valid production configuration, with secrets read from *_FILE', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-config-'));
    const internal = path.join(dir, 'internal');
    const pem = path.join(dir, 'jwt.pem');
    fs.writeFileSync(internal, `${'s'.repeat(40)}\n`);
    fs.writeFileSync(pem, '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n');
    const config = loadGatewayConfig({ NODE_ENV: 'production', JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY_FILE: pem, INTERNAL_SIGNING_SECRET_FILE: internal });
    expect(config.internalSecret).toBe('s'.repeat(40)); // without the file's trailing newline
    expect(config.jwt.key).toEqual({ kind: 'pem', pem: '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----' });

    const subgraph = loadSubgraphConfig({ DATABASE_URL_FILE: internal, PSEUDONYM_SECRET_FILE: internal });
    expect(subgraph.pseudonymSecret).toBe('s'.repeat(40));
    expect(subgraph.databaseUrl).toBe('s'.repeat(40));
  });

  it('names the *_FILE variable whose file is missing, and refuses a secret set both ways', () => {
    expect(problemsOf(() => loadGatewayConfig({ INTERNAL_SIGNING_SECRET_FILE: '/nonexistent/secret' }))).toEqual([
      { variable: 'INTERNAL_SIGNING_SECRET_FILE', message: 'cannot read /nonexistent/secret (ENOENT)' },
    ]);
    expect(problemsOf(() => loadSubgraphConfig({ PSEUDONYM_SECRET: 'p'.repeat(40), PSEUDONYM_SECRET_FILE: '/etc/hostname' }))).toEqual([
      { variable: 'PSEUDONYM_SECRET', message: 'set PSEUDONYM_SECRET or PSEUDONYM_SECRET_FILE, not both' },
    ]);
  });

  it('reads the CORS allow-list and the shutdown timeout', () => {
    const config = loadGatewayConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:3000', SHUTDOWN_TIMEOUT_MS: '2500' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
    expect(config.shutdownTimeoutMs).toBe(2500);
    expect(loadGatewayConfig({}).corsOrigins).toEqual([]);
    expect(problemsOf(() => loadGatewayConfig({ CORS_ORIGINS: '*' })).map((p) => p.variable)).toEqual(['CORS_ORIGINS']);
    expect(problemsOf(() => loadGatewayConfig({ CORS_ORIGINS: 'https://app.example.com/path' }))[0]!.message).toMatch(/not an origin/);
  });
});
