import fs from 'node:fs';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { DEFAULT_SUPERGRAPH_PATH, readSubgraphSdl } from '../../schema';
import { composeSupergraph } from '../../schema/compose';
import { SUBGRAPH_NAMES } from '../../subgraphs/shared/subgraph';

describe('supergraph', () => {
  it('is up to date with the subgraph SDL (run `npm run compose` when this fails)', () => {
    expect(fs.readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph());
  });

  it('fails composition when two subgraphs disagree', () => {
    const services = SUBGRAPH_NAMES.map((name) => ({ name, url: `http://${name}`, typeDefs: parse(readSubgraphSdl(name)) }));
    const broken = services.map((s) =>
      s.name === 'contacts' ? { ...s, typeDefs: parse(readSubgraphSdl('contacts').replace('type PageInfo @shareable', 'type PageInfo')) } : s,
    );
    expect(composeServices(services).errors).toBeUndefined();
    expect(composeServices(broken).errors?.length).toBeGreaterThan(0);
  });

  it('declares every entity with a key and every list as a connection', () => {
    const sdl = fs.readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
    for (const entity of ['Tenant', 'Team', 'User', 'Contact', 'CallLog', 'Geofence']) expect(sdl).toMatch(new RegExp(`type ${entity}\\b[^{]*key: "id"`));
    for (const connection of ['UserConnection', 'ContactConnection', 'CallLogConnection', 'LocationPingConnection', 'GeofenceConnection']) {
      expect(sdl).toMatch(new RegExp(`type ${connection}[^{]*\\{[^}]*nodes:[^}]*pageInfo: PageInfo![^}]*totalCount: Int!`));
    }
  });
});
