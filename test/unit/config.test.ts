import { loadGatewayConfig } from '../../gateway/config';
import { loadSubgraphConfig } from '../../subgraphs/shared/config';

describe('configuration', () => {
  it('defaults to the documented ports, the embedded store and the development secret', () => {
    const gateway = loadGatewayConfig({});
    expect(gateway.port).toBe(4000);
    expect(gateway.host).toBe('127.0.0.1');
    expect(gateway.jwt.key.kind).toBe('secret');
    const subgraphs = loadSubgraphConfig({});
    expect(subgraphs.ports).toEqual({ accounts: 4001, contacts: 4002, calls: 4003, location: 4004 });
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
