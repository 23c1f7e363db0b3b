import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { lintClassification } from '../privacy/classification';
import { readSubgraphSdl } from '.';

/** Where each subgraph listens by default; the gateway can override these per deployment. */
export const DEFAULT_SUBGRAPH_URLS = {
  accounts: 'http://127.0.0.1:4001/graphql',
  contacts: 'http://127.0.0.1:4002/graphql',
  calls: 'http://127.0.0.1:4003/graphql',
  location: 'http://127.0.0.1:4004/graphql',
  privacy: 'http://127.0.0.1:4005/graphql',
} as const;

/**
 * Composes the subgraphs' SDL into supergraph SDL, or throws with every problem: first the
 * privacy classification lint (every field of an entity type is @personal or @nonPersonal), then
 * federation composition.
 */
export function composeSupergraph(): string {
  const services = Object.entries(DEFAULT_SUBGRAPH_URLS).map(([name, url]) => ({
    name,
    url,
    typeDefs: parse(readSubgraphSdl(name)),
  }));
  const problems = services.flatMap((service) => lintClassification(service.name, service.typeDefs));
  if (problems.length > 0) throw new Error(`Privacy classification failed:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trim()}\n`;
}
