/**
 * What MAX_TOKENS bounds: the time GraphQL validation takes on the worst documents of a given
 * size (many fields with the same response name, which the overlapping-fields rule compares pair
 * by pair). Prints the best of five runs per size.
 *   npx tsx scripts/validation-cost.ts
 */
import fs from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { Lexer, Source, parse, specifiedRules, validate } from 'graphql';
import { DEFAULT_SUPERGRAPH_PATH } from '../schema';

const schema = Supergraph.build(fs.readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8')).apiSchema().toGraphQLJSSchema();
const tokensOf = (query: string) => {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== '<EOF>') count += 1;
  return count;
};
const shapes: [string, (n: number) => string][] = [
  ['repeated `me { id }`', (n) => `{ ${'me { id } '.repeat(Math.floor(n / 4))} }`],
  ['repeated `me { team { name } }`', (n) => `{ ${'me { team { name } } '.repeat(Math.floor(n / 7))} }`],
  ['repeated list field', (n) => `{ me { ${'contacts(first: 1) { nodes { name } } '.repeat(Math.floor(n / 12))} } }`],
];
for (const tokens of [250, 500, 1000, 2000, 4000]) {
  for (const [name, make] of shapes) {
    const query = make(tokens);
    const document = parse(query);
    let best = Infinity;
    for (let run = 0; run < 5; run += 1) {
      const started = performance.now();
      validate(schema, document, specifiedRules);
      best = Math.min(best, performance.now() - started);
    }
    process.stdout.write(`${String(tokensOf(query)).padStart(5)} tokens  ${best.toFixed(1).padStart(7)} ms  ${name}\n`);
  }
}
