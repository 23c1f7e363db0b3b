import fs from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/** Largest `first` any list accepts: part of the API contract. */
export const MAX_PAGE_SIZE = 100;

/** The SDL files are the contract: each subgraph serves its own, composition reads all of them. */
export const SCHEMA_DIR = __dirname;
export const DEFAULT_SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');

export function subgraphSdlPath(name: string): string {
  return path.join(SCHEMA_DIR, `${name}.graphql`);
}

/** A subgraph's SDL: the shared header (links, privacy directives, scalars), then its own file. */
export function readSubgraphSdl(name: string): string {
  return `${fs.readFileSync(path.join(SCHEMA_DIR, 'common.graphql'), 'utf8')}\n${fs.readFileSync(subgraphSdlPath(name), 'utf8')}`;
}

export function loadSubgraphTypeDefs(name: string): DocumentNode {
  return parse(readSubgraphSdl(name));
}
