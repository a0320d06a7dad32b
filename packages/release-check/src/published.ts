import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The fields of a package.json that the checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { type: string; url: string; directory?: string };
  homepage?: string;
  bugs?: { url: string };
  main?: string;
  bin?: string | Record<string, string>;
  types?: string;
  typesVersions?: Record<string, Record<string, string[]>>;
  exports?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

/** A package the release would publish: every `packages/*` without `"private": true`. */
export interface PublishedPackage {
  name: string;
  /** Its folder, from the root: `packages/core`. */
  folder: string;
  manifest: Manifest;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Found anew on every run, so that a package added later is checked without being listed anywhere. */
export function publishedPackages(): PublishedPackage[] {
  const found: PublishedPackage[] = [];
  for (const name of readdirSync(join(ROOT, 'packages')).sort()) {
    const dir = join(ROOT, 'packages', name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const manifest = readManifest(dir);
    if (manifest.private !== true) found.push({ name: manifest.name, folder: `packages/${name}`, manifest });
  }
  return found;
}

/** Every file path an `exports` map names (conditions and subpaths flattened). */
export function exportTargets(exportsMap: unknown): string[] {
  if (typeof exportsMap === 'string') return [exportsMap];
  if (exportsMap === null || typeof exportsMap !== 'object') return [];
  return Object.values(exportsMap).flatMap(exportTargets);
}

/** The subpaths a user can import (`'.'`, `'./register'`, …), without `./package.json`. */
export function entryPoints(manifest: Manifest): string[] {
  const map = manifest.exports;
  if (typeof map === 'string' || Array.isArray(map)) return ['.'];
  if (map === null || typeof map !== 'object') return [];
  const keys = Object.keys(map);
  if (!keys.every((key) => key.startsWith('.'))) return ['.'];
  return keys.filter((key) => !key.endsWith('package.json') && !key.includes('*'));
}

/** True when no entry point offers a `require` condition: CommonJS loads it through `require(esm)`. */
export function isEsmOnly(manifest: Manifest): boolean {
  return !JSON.stringify(manifest.exports ?? {}).includes('"require"');
}
