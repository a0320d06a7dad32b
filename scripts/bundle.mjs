// Builds a package's entry points as ESM bundles in dist/: the package's own modules in one file per
// entry (and a shared chunk for what its entries share), every other package left as an import.
// So each package's code exists once in a process, whichever public entry point was imported (one
// `Worker` class, one link table), and a worker still loads a few files rather than ~45 modules, which
// is what keeps fork() → listening level with node:cluster (docs/benchmarks.md, docs/decisions.md).
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/**
 * `import net from 'node:net'` in an ES module makes Node build a module facade of the builtin, which reads
 * every export, lazy ones included (`net.BlockList`, `util.MIMEType`, …): each loads and compiles more of
 * Node's internals. A worker imports about ten builtins before the user's code, so the bundles take them
 * with `process.getBuiltinModule()` (Node >= 20.16) instead; a named import reads only its own export.
 */
const builtinsWithoutFacades = {
  name: 'builtins-without-facades',
  setup(bundler) {
    // One stub per importing file, so that no stub is shared by two entries (which would make a chunk of it).
    bundler.onResolve({ filter: /^node:/ }, (args) => ({
      path: args.path,
      namespace: 'builtin',
      suffix: `?${relative('.', args.importer)}`,
    }));
    bundler.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const id = JSON.stringify(args.path);
      // Unused exports are dropped by tree shaking: each one is a pure read of its own.
      const names = Object.keys(require(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
      const exports = names.map((name) => `export const ${name} = /* @__PURE__ */ (() => builtin.${name})();`);
      return {
        contents: [`const builtin = process.getBuiltinModule(${id});`, 'export default builtin;', ...exports].join(
          '\n',
        ),
        loader: 'js',
      };
    });
  },
};

const entryPoints = process.argv.slice(2);
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  // `@cluster/*` and any other dependency are imported, never copied in.
  packages: 'external',
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  plugins: [builtinsWithoutFacades],
  logLevel: 'warning',
});
