// Vitest global setup: packs every published package once, as `pnpm publish` would (the `prepack` script
// builds it first), and unpacks each tarball, so that the tests judge exactly what a user would install.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { publishedPackages, ROOT } from './published.ts';

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

/** Runs a command and returns its output, or throws with all of it. */
export function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
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
    // One after the other: each prepack runs turbo, which restores its dependencies' builds.
    for (const { name, folder } of publishedPackages()) {
      const into = join(work, 'tarballs', basename(folder));
      mkdirSync(into, { recursive: true });
      run('pnpm', ['pack', '--pack-destination', into], join(ROOT, folder));
      const tarballs = readdirSync(into).filter((file) => file.endsWith('.tgz'));
      if (tarballs.length !== 1) throw new Error(`pnpm pack in ${folder} left ${tarballs.length} tarballs`);
      const tarball = join(into, tarballs[0] as string);
      const unpacked = join(work, 'unpacked', basename(folder));
      mkdirSync(unpacked, { recursive: true });
      run('tar', ['-xzf', tarball, '-C', unpacked], work);
      packages.push({ name, folder, tarball, contents: join(unpacked, 'package') });
    }
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  project.provide('release', { work, packages });
  return () => rmSync(work, { recursive: true, force: true });
}
