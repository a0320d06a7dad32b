import type { CliConfig } from './config.ts';
import * as values from './option-values.ts';

/** One option of `cluster run`: its flag, its key in a config file, its help line, and its value's check. */
export interface RunOption {
  /** The key in a config file (and in `CliConfig`); `config` is the flag naming the file itself. */
  readonly key: keyof CliConfig | 'config';
  /** The long flag, `--drain-timeout`. */
  readonly flag: string;
  /** The short flag, `-w`, if there is one. */
  readonly short?: string;
  /** The value's name in help, `<duration>`; none for a switch. */
  readonly value?: string;
  /** The help line (the README's table says the same). */
  readonly description: string;
  /** Checks a value, from a flag (a string) or a config file (JSON), and returns it resolved; throws `Expected`. */
  readonly parse: (value: unknown) => unknown;
  /** Given more than once, its values make a list. */
  readonly repeatable?: boolean;
  /** Only in config files. */
  readonly configOnly?: boolean;
  /** Only as a flag. */
  readonly flagOnly?: boolean;
}

/** The policies the primary can balance with (`@cluster/core`'s built-in names), and `'none'` for the OS. */
export const POLICIES = ['round-robin', 'least-connections', 'ip-hash', 'power-of-two', 'none', 'balanced'] as const;

/** Every option of `cluster run`, in the order help lists them. */
export const RUN_OPTIONS: readonly RunOption[] = [
  {
    key: 'workers',
    flag: '--workers',
    short: '-w',
    value: '<n|max>',
    description: "workers to run; 'max' is one per CPU this process may use, CPU quota included (default max)",
    parse: values.workerCount,
  },
  {
    key: 'name',
    flag: '--name',
    short: '-n',
    value: '<name>',
    description: "the instance's name for ls, status, reload, scale, stop (default: the app's file name)",
    parse: values.instanceName,
  },
  {
    key: 'status',
    flag: '--status',
    value: '[host:]port',
    description: 'serve a live page, /metrics, /healthz, /readyz and /status.json there (host 127.0.0.1 unless given)',
    parse: values.listenAddress,
  },
  {
    key: 'policy',
    flag: '--policy',
    value: '<name>',
    description: 'round-robin, least-connections, ip-hash, power-of-two, none, or balanced (default round-robin)',
    parse: values.oneOf(POLICIES),
  },
  {
    key: 'ready',
    flag: '--ready',
    value: '<on>',
    description: "a worker is ready at its first 'listening' (listening) or when it sends a message (message)",
    parse: values.oneOf(['listening', 'message'] as const),
  },
  {
    key: 'readyMessage',
    flag: '--ready-message',
    value: '<text>',
    description: "the message of --ready message: process.send('ready') (default ready)",
    parse: values.text,
  },
  {
    key: 'readyTimeout',
    flag: '--ready-timeout',
    value: '<duration>',
    description: 'a worker not ready within it failed to start (default 30s)',
    parse: values.duration,
  },
  {
    key: 'drainTimeout',
    flag: '--drain-timeout',
    value: '<duration>',
    description: 'how long a draining worker may finish its requests before SIGTERM (default 20s)',
    parse: values.duration,
  },
  {
    key: 'idleTimeout',
    flag: '--idle-timeout',
    value: '<duration>',
    description: 'a keep-alive connection idle this long while draining is closed (default 1s)',
    parse: values.duration,
  },
  {
    key: 'killTimeout',
    flag: '--kill-timeout',
    value: '<duration>',
    description: 'from SIGTERM to SIGKILL for a worker that does not exit (default 5s)',
    parse: values.duration,
  },
  {
    key: 'shutdownDelay',
    flag: '--shutdown-delay',
    value: '<duration>',
    description: 'on SIGTERM/SIGINT, keep serving this long with /readyz at 503 before draining (default 0)',
    parse: values.duration,
  },
  {
    key: 'restartDelay',
    flag: '--restart-delay',
    value: '<duration>',
    description: 'the first delay before restarting a crashed worker; doubles per failure (default 100ms)',
    parse: values.duration,
  },
  {
    key: 'restartMaxDelay',
    flag: '--restart-max-delay',
    value: '<duration>',
    description: "the restart delay's ceiling (default 10s)",
    parse: values.duration,
  },
  {
    key: 'minUptime',
    flag: '--min-uptime',
    value: '<duration>',
    description: "a worker up this long was healthy: its slot's backoff starts over (default 5s)",
    parse: values.duration,
  },
  {
    key: 'maxRestarts',
    flag: '--max-restarts',
    value: '<n>',
    description: 'failed restarts in a row after which a slot gives up (default 10)',
    parse: values.integer(0, 1_000_000),
  },
  {
    key: 'heartbeat',
    flag: '--heartbeat',
    value: '<duration|off>',
    description: "between two heartbeats of a worker's event loop (default 1s)",
    parse: values.heartbeat,
  },
  {
    key: 'heartbeatMisses',
    flag: '--heartbeat-misses',
    value: '<n>',
    description: 'missed heartbeats in a row after which a worker is replaced (default 5)',
    parse: values.integer(1, 1_000),
  },
  {
    key: 'memoryLimit',
    flag: '--memory-limit',
    value: '<size>',
    description: 'replace a worker whose RSS stays above it, such as 512M (default none)',
    parse: values.size,
  },
  {
    key: 'envFile',
    flag: '--env-file',
    value: '<path>',
    description: "add the KEY=value lines of a file to the workers' environment (repeatable)",
    parse: values.paths,
    repeatable: true,
  },
  {
    key: 'nodeArgs',
    flag: '--node-args',
    value: '<flags>',
    description: "flags for Node in every worker, such as '--max-old-space-size=512'",
    parse: values.nodeArgs,
  },
  {
    key: 'watch',
    flag: '--watch',
    description: "reload when a file under the app's folder changes (not node_modules, dot-folders)",
    parse: values.boolean,
  },
  {
    key: 'jsonLogs',
    flag: '--json-logs',
    description: 'log one JSON object per line: time, slot, pid, stream, text',
    parse: values.boolean,
  },
  {
    key: 'config',
    flag: '--config',
    short: '-c',
    value: '<file>',
    description: 'read options from this file (default: cluster.config.mjs/.json, package.json "cluster")',
    parse: values.text,
    flagOnly: true,
  },
  { key: 'app', flag: '<app>', description: 'the entry file', parse: values.text, configOnly: true },
  { key: 'args', flag: '-- <args>', description: 'arguments for the app', parse: values.stringList, configOnly: true },
  {
    key: 'env',
    flag: 'env',
    description: "variables for the workers' environment",
    parse: values.environment,
    configOnly: true,
  },
];

/** The keys a config file may have. */
export const CONFIG_KEYS: readonly string[] = RUN_OPTIONS.filter((option) => !option.flagOnly).map(
  (option) => option.key,
);
