/** Bundles the playground (GraphiQL + our caller switcher and privacy panel) into dist/playground: no CDN. */
import path from 'node:path';
import { build } from 'esbuild';

import { PLAYGROUND_DIR } from '../gateway/playground';

async function main(): Promise<void> {
  const started = Date.now();
  await build({
    entryPoints: { app: path.resolve(__dirname, '..', 'playground', 'src', 'index.tsx') },
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    outdir: PLAYGROUND_DIR,
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    logLevel: 'warning',
  });
  process.stdout.write(`playground built in ${Date.now() - started} ms -> ${PLAYGROUND_DIR}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`playground build failed: ${(error as Error).message}\n`);
  process.exit(1);
});
