import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closest } from '../closest.ts';
import { cliError } from '../errors.ts';

/** The app's entry file, and what its workers need to load it. */
export interface AppEntry {
  readonly file: string;
  readonly format: 'commonjs' | 'module';
  readonly typescript: boolean;
  /** Flags for the workers' Node: tsx's loader for a TypeScript entry, nothing otherwise. */
  readonly execArgv: readonly string[];
  /** Variables for the workers' preload (tsx's ESM hooks for a CommonJS TypeScript entry). */
  readonly env: Readonly<Record<string, string>>;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
/** Tells the CLI's worker preload where tsx's ESM hooks are (see worker-preload.cts); it deletes the variable. */
export const TSX_ESM_ENV = 'CLUSTER_CLI_TSX_ESM';

/**
 * Checks that the entry exists and works out how it loads. TypeScript goes through tsx, the user's own
 * (resolved from the app's folder first, then from beside the CLI): a CommonJS entry with tsx's
 * `--require` hook, which keeps it on Node's synchronous CommonJS loader (an `--import` would put it on
 * the asynchronous ESM loader, and its top-level `process.on('message')` would miss what the primary
 * sends at once); an ES module entry with tsx's `--import` loader, the way ES modules load anyway. A
 * CommonJS entry that another `--import` puts on the ESM loader all the same gets tsx's ESM hooks from the
 * CLI's worker preload.
 */
export function resolveAppEntry(file: string, nodeArgs: readonly string[]): AppEntry {
  if (!existsSync(file) || !statSync(file).isFile()) {
    let hint: string | undefined;
    try {
      const near = closest(basename(file), readdirSync(dirname(file)));
      if (near !== undefined) hint = `Did you mean ${join(relative(process.cwd(), dirname(file)) || '.', near)}?`;
    } catch {
      // Its folder is not there either.
    }
    throw cliError('ERR_CLUSTER_APP_NOT_FOUND', `the app ${relative(process.cwd(), file) || file} does not exist`, {
      ...(hint === undefined ? {} : { hint }),
    });
  }
  const extension = extname(file);
  const format = formatOf(file, extension);
  const typescript = TYPESCRIPT.has(extension);
  // The user loads tsx themselves: leave it to them.
  if (!typescript || nodeArgs.some((arg) => /\btsx\b/.test(arg)))
    return { file, format, typescript, execArgv: [], env: {} };
  const hook = format === 'commonjs' ? 'tsx/cjs' : 'tsx';
  const resolved = resolveFrom(hook, file);
  if (resolved === undefined) {
    throw cliError('ERR_CLUSTER_TSX_MISSING', `a TypeScript entry (${basename(file)}) needs tsx, which was not found`, {
      hint: 'Install it in the app: npm install --save-dev tsx',
    });
  }
  if (format === 'module')
    return { file, format, typescript, execArgv: [`--import=${pathToFileURL(resolved).href}`], env: {} };
  const esm = resolveFrom('tsx/esm', file);
  return {
    file,
    format,
    typescript,
    execArgv: [`--require=${resolved}`],
    env: esm === undefined ? {} : { [TSX_ESM_ENV]: pathToFileURL(esm).href },
  };
}

/** How Node will load the file: by its extension, else by the nearest package.json's `type`. */
function formatOf(file: string, extension: string): 'commonjs' | 'module' {
  if (extension === '.mjs' || extension === '.mts') return 'module';
  if (extension === '.cjs' || extension === '.cts') return 'commonjs';
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module'
          ? 'module'
          : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dirname(dir) === dir) return 'commonjs';
  }
}

function resolveFrom(specifier: string, file: string): string | undefined {
  for (const base of [file, import.meta.filename]) {
    try {
      return createRequire(base).resolve(specifier);
    } catch {
      // Not there: try the next place.
    }
  }
  return undefined;
}
