// Fails when a package imports what the architecture's direction forbids, or reaches into another
// package's src/ or dist/. The allowed edges are ARCHITECTURE.md's graph.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ALLOWED = {
  errors: [],
  ipc: ['errors'],
  settings: [],
  scheduler: [],
  worker: ['ipc', 'settings', 'errors'],
  net: ['ipc', 'scheduler', 'errors'],
  facade: ['worker', 'net', 'settings', 'scheduler', 'ipc', 'errors'],
  core: ['facade'],
  supervisor: ['ipc', 'errors'],
  status: ['supervisor', 'errors'],
  cli: ['core', 'supervisor', 'status', 'ipc', 'errors'],
  // Private packages: tests and benchmarks may use the public entry points of anything.
  bench: null,
  conformance: null,
  'test-utils': null,
  'release-check': null,
};

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const problems = [];

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(c|m)?[jt]s$/.test(name)) yield path;
  }
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

for (const name of readdirSync(packagesDir)) {
  const dir = join(packagesDir, name);
  if (!statSync(dir).isDirectory()) continue;
  if (!(name in ALLOWED)) {
    problems.push(`packages/${name}: not in the architecture's package list (scripts/check-boundaries.mjs)`);
    continue;
  }
  const allowed = ALLOWED[name];
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  for (const dep of declared) {
    const target = dep.startsWith('@cluster/') ? dep.slice('@cluster/'.length) : undefined;
    if (target !== undefined && allowed !== null && !allowed.includes(target)) {
      problems.push(`packages/${name}/package.json: depends on ${dep}, which its direction forbids`);
    }
  }
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? match[3];
      const where = relative(root, file);
      if (/(^|\/)packages\/[^/]+\/(src|dist)\//.test(spec) || /^\.\.\/\.\.\/[^/]+\/(src|dist)/.test(spec)) {
        problems.push(`${where}: reaches into another package's internals (${spec})`);
      }
      if (!spec.startsWith('@cluster/')) continue;
      const [, target, sub] = spec.match(/^@cluster\/([^/]+)(\/.*)?$/) ?? [];
      if (sub && /^\/(src|dist)\b/.test(sub)) problems.push(`${where}: imports ${spec}, another package's internals`);
      const inTests = /\/(test|src\/.*\.test\.ts$)/.test(relative(dir, file)) || file.includes('/test/');
      if (target === name || allowed === null) continue;
      if (target === 'test-utils' && inTests) continue;
      if (!allowed.includes(target))
        problems.push(`${where}: imports ${spec}; packages/${name} may import ${allowed.join(', ') || 'nothing'}`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Package boundaries broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('Package boundaries hold.');
