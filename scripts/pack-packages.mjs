// `pnpm packs [folder]`: packs every published package (packages/* without "private"), each built first by
// its `prepack`, into a folder (./packs by default). Until the packages are on the registry, a project
// installs them from there, all at once since they depend on one another: `npm install <folder>/*.tgz`.
// packages/release-check packs through this script too, so that this is the path `pnpm test` checks.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
/** A pack builds the package and its dependencies first, on a cold cache too. */
const PACK_TIMEOUT_MS = 120_000;
const into = resolve(process.argv[2] ?? join(root, 'packs'));
mkdirSync(into, { recursive: true });

for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private) continue;
  // One after the other: each prepack runs turbo, which restores its dependencies' builds.
  try {
    execFileSync('pnpm', ['pack', '--pack-destination', into], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
      timeout: PACK_TIMEOUT_MS,
    });
  } catch (error) {
    console.error(`pnpm pack failed in packages/${name}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    process.exit(1);
  }
}
console.log(
  `Packed into ${into}:\n  ${readdirSync(into)
    .filter((file) => file.endsWith('.tgz'))
    .join('\n  ')}`,
);
console.log(`In your project: npm install ${into}/*.tgz`);
