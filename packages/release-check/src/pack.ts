// Vitest global setup: packs every published package once, as `pnpm publish` would (the `prepack` script
// builds it first), and unpacks each tarball, so that the tests judge exactly what a user would install.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { publishedPackages, ROOT, readManifest } from './published.ts';

/** One packed package, as the tests receive it. */
export interface PackedPackage {
  name: string;
  folder: string;
  /** The .tgz file. */
  tarball: string;
  /** Where the tarball was unpacked: its `package/` folder. */
  contents: string;
}

export interface Release {
  /** Scratch space under the OS temp dir, removed after the run. */
  work: string;
  packages: PackedPackage[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    release: Release;
  }
}

/** A bound for each command (a pack of everything, an install, a compile), so that no run can hang. */
const COMMAND_TIMEOUT_MS = 180_000;

/** Runs a command and returns its output, or throws with all of it. */
export function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: COMMAND_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
}

export default function setup(project: TestProject): () => void {
  const work = mkdtempSync(join(tmpdir(), 'cluster-release-'));
  const packages: PackedPackage[] = [];
  try {
    const into = join(work, 'tarballs');
    // The command the README gives users (`pnpm packs`): each package's prepack builds it first.
    run(process.execPath, [join(ROOT, 'scripts/pack-packages.mjs'), into], ROOT);
    const published = new Map(publishedPackages().map((pkg) => [pkg.name, pkg]));
    for (const file of readdirSync(into).filter((name) => name.endsWith('.tgz'))) {
      const unpacked = join(work, 'unpacked', basename(file, '.tgz'));
      mkdirSync(unpacked, { recursive: true });
      run('tar', ['-xzf', join(into, file), '-C', unpacked], work);
      const contents = join(unpacked, 'package');
      const { name } = readManifest(contents);
      const pkg = published.get(name);
      if (pkg === undefined) throw new Error(`${file} is ${name}, which is not a published package`);
      published.delete(name);
      packages.push({ name, folder: pkg.folder, tarball: join(into, file), contents });
    }
    if (published.size > 0) throw new Error(`Not packed: ${[...published.keys()].join(', ')}`);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  project.provide('release', { work, packages });
  return () => rmSync(work, { recursive: true, force: true });
}
