import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { SupervisorOptions } from '@cluster/supervisor';
import { type ParsedArgs, parseArgs } from './argv.ts';
import { closest } from './closest.ts';
import type { CliConfig } from './config.ts';
import { type LoadedConfig, loadConfigFile } from './config-file.ts';
import { cliError } from './errors.ts';
import { Expected, instanceName, type ListenAddress, show } from './option-values.ts';
import { CONFIG_KEYS, RUN_OPTIONS, type RunOption } from './run-options.ts';

/** Everything `cluster run` was asked for, checked, with flags over the config file over the defaults. */
export interface RunConfig {
  /** The app's entry, an absolute path. */
  readonly app: string;
  readonly args: readonly string[];
  readonly name: string;
  readonly workers: number | 'max';
  readonly policy: NonNullable<CliConfig['policy']> | undefined;
  /** What goes to `supervise()`, besides `workers` and `env`. */
  readonly supervisor: Omit<SupervisorOptions, 'workers' | 'env' | 'signals'>;
  /** Added to every worker's environment: the env files in order, then `env`. */
  readonly env: Readonly<Record<string, string>>;
  readonly nodeArgs: readonly string[];
  readonly status: ListenAddress | undefined;
  readonly shutdownDelay: number;
  readonly watch: boolean;
  readonly jsonLogs: boolean;
  /** The config file read, if any. */
  readonly configFile: string | undefined;
}

/** The flags `cluster run` takes. */
export const RUN_FLAGS = RUN_OPTIONS.filter((option) => option.configOnly !== true);

/** Parses `cluster run`'s arguments and merges them over its config file. */
export async function resolveRunConfig(argv: readonly string[], cwd: string): Promise<RunConfig | 'help'> {
  const parsed = parseArgs(argv, RUN_FLAGS, 'run');
  if (parsed.help) return 'help';
  const configFlag = parsed.flags.get('config');
  const loaded = await loadConfigFile(cwd, typeof configFlag === 'string' ? configFlag : undefined);
  for (const key of Object.keys(loaded.options)) {
    if (CONFIG_KEYS.includes(key)) continue;
    const suggestion = closest(key, CONFIG_KEYS);
    throw cliError('ERR_CLUSTER_UNKNOWN_OPTION', `${loaded.label}: unknown option "${key}"`, {
      hint: `${suggestion === undefined ? '' : `Did you mean "${suggestion}"? `}The options are listed by 'cluster run --help'.`,
    });
  }
  const pick = picker(parsed, loaded);
  if (parsed.positionals.length > 1) {
    throw cliError('ERR_CLUSTER_UNEXPECTED_ARGUMENT', `unexpected argument ${show(parsed.positionals[1])}`, {
      hint: "Arguments for the app go after '--': cluster run app.js -- --port 3000.",
    });
  }
  const appFromFlag = parsed.positionals[0];
  const appFromFile = pick('app') as string | undefined;
  if (appFromFlag === undefined && appFromFile === undefined) {
    throw cliError('ERR_CLUSTER_MISSING_ARGUMENT', "'cluster run' needs the app's entry file: cluster run app.js", {
      hint: 'Or set "app" in cluster.config.json. Run \'cluster run --help\' for the options.',
    });
  }
  const app = appFromFlag !== undefined ? resolve(cwd, appFromFlag) : resolve(loaded.dir, appFromFile as string);
  const envFiles = [
    ...((loaded.options.envFile === undefined || parsed.flags.has('envFile')
      ? []
      : (pick('envFile') as string[]).map((file) => resolve(loaded.dir, file))) as string[]),
    ...((parsed.flags.get('envFile') as string[] | undefined) ?? []).map((file) => resolve(cwd, file)),
  ];
  const env: Record<string, string> = {};
  for (const file of envFiles) Object.assign(env, readEnvFile(file));
  Object.assign(env, (pick('env') as Record<string, string> | undefined) ?? {});
  const heartbeat = pick('heartbeat') as number | false | undefined;
  const heartbeatMisses = pick('heartbeatMisses') as number | undefined;
  const supervisor: RunConfig['supervisor'] = {
    readiness: defined({
      on: pick('ready') as 'listening' | 'message' | undefined,
      message: pick('readyMessage') as string | undefined,
      timeout: pick('readyTimeout') as number | undefined,
    }),
    restart: defined({
      initialDelay: pick('restartDelay') as number | undefined,
      maxDelay: pick('restartMaxDelay') as number | undefined,
      minUptime: pick('minUptime') as number | undefined,
      maxRestarts: pick('maxRestarts') as number | undefined,
    }),
    drain: defined({
      timeout: pick('drainTimeout') as number | undefined,
      idleTimeout: pick('idleTimeout') as number | undefined,
      killTimeout: pick('killTimeout') as number | undefined,
    }),
    heartbeat: heartbeat === false ? false : defined({ interval: heartbeat, maxMissed: heartbeatMisses }),
    ...defined({ memoryLimit: pick('memoryLimit') as number | undefined }),
  };
  return {
    app,
    args: parsed.rest ?? (pick('args') as string[] | undefined) ?? [],
    name: (pick('name') as string | undefined) ?? defaultName(app),
    workers: (pick('workers') as number | 'max' | undefined) ?? 'max',
    policy: pick('policy') as RunConfig['policy'],
    supervisor,
    env,
    nodeArgs: (pick('nodeArgs') as string[] | undefined) ?? [],
    status: pick('status') as ListenAddress | undefined,
    shutdownDelay: (pick('shutdownDelay') as number | undefined) ?? 0,
    watch: (pick('watch') as boolean | undefined) ?? false,
    jsonLogs: (pick('jsonLogs') as boolean | undefined) ?? false,
    configFile: loaded.file,
  };
}

/** Reads one option: the flag's value if given, else the config file's, checked by the option's parser. */
function picker(parsed: ParsedArgs, loaded: LoadedConfig) {
  const byKey = new Map<string, RunOption>(RUN_OPTIONS.map((option) => [option.key, option]));
  return (key: string): unknown => {
    const option = byKey.get(key) as RunOption;
    const fromFlag = parsed.flags.get(key);
    const fromFile = loaded.options[key];
    const [value, where] =
      fromFlag !== undefined
        ? [fromFlag, parsed.given.get(key) ?? option.flag]
        : [fromFile, `${loaded.label}: "${key}"`];
    if (value === undefined) return undefined;
    try {
      return option.parse(value);
    } catch (error) {
      if (!(error instanceof Expected)) throw error;
      throw cliError('ERR_CLUSTER_INVALID_OPTION_VALUE', `${where} expected ${error.expected}, got ${show(value)}`, {
        hint: `Run 'cluster run --help' for the options.`,
      });
    }
  };
}

/** The app's file name without its extension, made a valid instance name. */
function defaultName(app: string): string {
  const stem = basename(app, extname(app))
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  try {
    return instanceName(stem.slice(0, 64));
  } catch {
    return 'app';
  }
}

function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw cliError(
      'ERR_CLUSTER_CONFIG_INVALID',
      `the env file ${file} could not be read (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  return parseEnv(text) as Record<string, string>;
}

/** The object without its `undefined` fields, so that the supervisor's defaults apply. */
function defined<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as never;
}
