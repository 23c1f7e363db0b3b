import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readSubgraphSdl } from '.';

/** Where each subgraph listens by default; the gateway can override these per deployment. */
export const DEFAULT_SUBGRAPH_URLS = {
  accounts: 'http://127.0.0.1:4001/graphql',
  contacts: 'http://127.0.0.1:4002/graphql',
  calls: 'http://127.0.0.1:4003/graphql',
  location: 'http://127.0.0.1:4004/graphql',
} as const;

/** Composes the four subgraphs' SDL into supergraph SDL, or throws with every composition error. */
export function composeSupergraph(): string {
  const services = Object.entries(DEFAULT_SUBGRAPH_URLS).map(([name, url]) => ({
    name,
    url,
    typeDefs: parse(readSubgraphSdl(name)),
  }));
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trim()}\n`;
}
