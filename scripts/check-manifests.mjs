// Fails when a published package (packages/* without "private") lacks what its release needs. Everything
// checked here is derived from one place, so that no package has to be edited by hand to get it: the
// project's home from the root package.json's `repository`, the licence from the root LICENSE, the
// node10 type entries from the package's own `exports`. `--fix` writes what is missing or out of date
// (scripts/new-package.sh runs it). What the packed tarball holds is checked by packages/release-check.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const fix = process.argv.includes('--fix');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const rootLicense = readFileSync(join(root, 'LICENSE'), 'utf8');
const home = rootManifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** Builds the package with its dependencies (turbo, from the package's folder) before pack or publish. */
const PREPACK = 'turbo run build --output-logs=errors-only';
/** The changelog in the tarball; src so that the declaration maps resolve (tests left out). */
const FILES = ['dist', 'src', '!src/**/*.test.ts', 'CHANGELOG.md'];

/** The declaration file that node10 resolution (`"module": "commonjs"`) should see for an export target. */
function typesOf(target) {
  if (typeof target === 'string') return /\.d\.[cm]?ts$/.test(target) ? target : undefined;
  if (target === null || typeof target !== 'object') return undefined;
  // node10 loads the CommonJS entry: prefer its declarations where the package has one.
  if (target.require !== undefined) {
    const types = typesOf(target.require);
    if (types !== undefined) return types;
  }
  if (typeof target.types === 'string') return target.types;
  for (const [condition, value] of Object.entries(target)) {
    if (condition === 'require' || condition === 'types') continue;
    const types = typesOf(value);
    if (types !== undefined) return types;
  }
  return undefined;
}

/** node10 ignores `exports`: `types` for the root, `typesVersions` for each subpath with declarations. */
function typeEntries(exportsMap) {
  if (exportsMap === null || typeof exportsMap !== 'object') return {};
  const subpaths = {};
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (subpath === '.' || subpath.includes('*') || subpath.endsWith('.json')) continue;
    const types = typesOf(target);
    if (types !== undefined) subpaths[subpath.replace(/^\.\//, '')] = [types];
  }
  return {
    types: typesOf(exportsMap['.']),
    typesVersions: Object.keys(subpaths).length > 0 ? { '*': subpaths } : undefined,
  };
}

/** The fields a published package must have, with the values they must have. */
function expectedFields(dir, manifest) {
  return {
    license: rootManifest.license,
    repository: { type: 'git', url: rootManifest.repository.url, directory: `packages/${dir}` },
    homepage: `${home}/tree/main/packages/${dir}#readme`,
    bugs: { url: `${home}/issues` },
    ...typeEntries(manifest.exports),
  };
}

/** Sets `key` to `value`, keeping the key's place if it has one, else putting it after `after`. */
function withField(manifest, key, value, after) {
  if (key in manifest || !(after in manifest)) return { ...manifest, [key]: value };
  const out = {};
  for (const [k, v] of Object.entries(manifest)) {
    out[k] = v;
    if (k === after) out[key] = value;
  }
  return out;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const problems = [];
const fixed = [];

for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const path = join(root, 'packages', dir, 'package.json');
  if (!existsSync(path)) continue;
  const original = JSON.parse(readFileSync(path, 'utf8'));
  if (original.private) continue;
  let manifest = original;
  const report = (what) => problems.push(`packages/${dir}: ${what}`);

  let after = 'description';
  for (const [key, value] of Object.entries(expectedFields(dir, manifest))) {
    if (value === undefined) {
      if (key in manifest) {
        report(`${key} is set, but nothing in exports calls for it`);
        const { [key]: _, ...rest } = manifest;
        manifest = rest;
      }
    } else if (!same(manifest[key], value)) {
      report(`${key} should be ${JSON.stringify(value)}`);
      manifest = withField(manifest, key, value, after);
    }
    if (key in manifest) after = key;
  }
  // TypeScript 7 rejects even a side-effect import of a module without declarations (TS2882), so every
  // entry point has some, a preload too (an `export {}` file will do, as core's ./register has).
  const entries = manifest.exports !== null && typeof manifest.exports === 'object' ? manifest.exports : {};
  for (const [subpath, target] of Object.entries(entries)) {
    if (!subpath.endsWith('.json') && typesOf(target) === undefined) report(`exports["${subpath}"] has no types`);
  }
  const files = manifest.files ?? [];
  const missing = FILES.filter((entry) => !files.includes(entry));
  if (missing.length > 0) {
    report(`files should include ${missing.map((entry) => JSON.stringify(entry)).join(', ')}`);
    manifest = { ...manifest, files: [...files, ...missing] };
  }
  if (manifest.scripts?.prepack !== PREPACK) {
    report(`scripts.prepack should be ${JSON.stringify(PREPACK)} (so that packing builds first)`);
    manifest = { ...manifest, scripts: { ...manifest.scripts, prepack: PREPACK } };
  }
  if (fix && manifest !== original) {
    writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
    fixed.push(`packages/${dir}/package.json`);
  }

  const license = join(root, 'packages', dir, 'LICENSE');
  if (!existsSync(license) || readFileSync(license, 'utf8') !== rootLicense) {
    report('LICENSE should be a copy of the root LICENSE');
    if (fix) {
      copyFileSync(join(root, 'LICENSE'), license);
      fixed.push(`packages/${dir}/LICENSE`);
    }
  }
  const changelog = join(root, 'packages', dir, 'CHANGELOG.md');
  if (!existsSync(changelog)) {
    report('CHANGELOG.md is missing (changesets writes into it)');
    if (fix) {
      writeFileSync(changelog, `# ${manifest.name}\n`);
      fixed.push(`packages/${dir}/CHANGELOG.md`);
    }
  }
  if (!existsSync(join(root, 'packages', dir, 'README.md'))) report('README.md is missing');
}

if (fix) {
  console.log(fixed.length > 0 ? `Fixed:\n  ${fixed.join('\n  ')}` : 'Nothing to fix.');
  const left = problems.filter((problem) => problem.endsWith('README.md is missing') || problem.endsWith('no types'));
  if (left.length > 0) {
    console.error(`Still to do by hand:\n  ${left.join('\n  ')}`);
    process.exit(1);
  }
} else if (problems.length > 0) {
  console.error(
    `Package manifests incomplete (node scripts/check-manifests.mjs --fix writes the fields):\n  ${problems.join('\n  ')}`,
  );
  process.exit(1);
} else {
  console.log('Package manifests hold what a release needs.');
}
