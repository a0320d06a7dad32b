// Empties a package's dist/ before its build: tsc and esbuild only add files, and a file left by an earlier
// build (a renamed entry, an old chunk) would otherwise be packed and published.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
