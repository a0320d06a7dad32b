// Builds a package's entry points as ESM bundles in dist/, one shared chunk for what they share.
// A worker loads the whole stack before the user's code; one file instead of ~45 modules is what
// keeps fork() → listening and an idle worker's memory level with node:cluster (docs/benchmarks.md).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const entryPoints = process.argv.slice(2);
// Chunks are named by content hash: drop the previous build's, so that dist holds only what this one wrote.
mkdirSync('dist', { recursive: true });
for (const name of readdirSync('dist', { withFileTypes: true })) {
  if (name.isFile() && name.name.startsWith('chunk-')) rmSync(`dist/${name.name}`);
}
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
