import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliError } from './errors.ts';

/** The files `cluster run` reads its options from, looked for in the current folder, in this order. */
export const CONFIG_FILES = ['cluster.config.mjs', 'cluster.config.json', 'package.json'] as const;
/** The key of package.json that holds the options. */
export const PACKAGE_KEY = 'cluster';

/** A config file's options, untouched, and where they came from. */
export interface LoadedConfig {
  /** The file, or `undefined` when there is none. */
  readonly file: string | undefined;
  /** Its folder: relative paths in it are relative to this. */
  readonly dir: string;
  /** How errors name it: `cluster.config.json`, `package.json "cluster"`. */
  readonly label: string;
  readonly options: Record<string, unknown>;
}

/**
 * Reads the options of `explicit` (a path from `--config`), or else of the one config file in `cwd`. Two
 * config files in one folder are an error (which would win is not obvious); so is one that does not parse.
 */
export async function loadConfigFile(cwd: string, explicit?: string): Promise<LoadedConfig> {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw cliError('ERR_CLUSTER_CONFIG_INVALID', `the config file ${explicit} does not exist`);
    }
    const options = await read(file, true);
    return { file, dir: dirname(file), label: labelOf(file), options: options ?? {} };
  }
  const found: { file: string; options: Record<string, unknown> }[] = [];
  for (const name of CONFIG_FILES) {
    const file = join(cwd, name);
    if (!existsSync(file)) continue;
    const options = await read(file, false);
    if (options !== undefined) found.push({ file, options });
  }
  if (found.length > 1) {
    throw cliError(
      'ERR_CLUSTER_CONFIG_INVALID',
      `options in two places: ${found.map((f) => labelOf(f.file)).join(' and ')}`,
      {
        hint: 'Keep one of them, or name one with --config.',
      },
    );
  }
  const [one] = found;
  if (one === undefined) return { file: undefined, dir: cwd, label: 'defaults', options: {} };
  return { file: one.file, dir: dirname(one.file), label: labelOf(one.file), options: one.options };
}

function labelOf(file: string): string {
  return basename(file) === 'package.json' ? `package.json "${PACKAGE_KEY}"` : basename(file);
}

/** The options in `file`; `undefined` for a package.json without the key (unless it was named on purpose). */
async function read(file: string, named: boolean): Promise<Record<string, unknown> | undefined> {
  const label = labelOf(file);
  let value: unknown;
  try {
    if (extname(file) === '.json') {
      const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (basename(file) === 'package.json') {
        const pkg = json as Record<string, unknown> | null;
        if (pkg === null || typeof pkg !== 'object' || !(PACKAGE_KEY in pkg)) {
          if (!named) return undefined;
          throw cliError('ERR_CLUSTER_CONFIG_INVALID', `${file} has no "${PACKAGE_KEY}" key`);
        }
        value = pkg[PACKAGE_KEY];
      } else value = json;
    } else {
      const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
      value = await module.default;
    }
  } catch (error) {
    if ((error as { exitCode?: number }).exitCode !== undefined) throw error;
    throw cliError('ERR_CLUSTER_CONFIG_INVALID', `${label} could not be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw cliError('ERR_CLUSTER_CONFIG_INVALID', `${label} must hold an object of options (see 'cluster run --help')`);
  }
  return value as Record<string, unknown>;
}
