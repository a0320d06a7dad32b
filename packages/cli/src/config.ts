/**
 * What `cluster run` is configured with: the same options from flags (`--drain-timeout 5s`), from a config
 * file (`cluster.config.json`, `cluster.config.mjs`, or a `"cluster"` key in package.json, with the keys
 * below), flags winning over the file, the file over the defaults. Every option is optional. Durations
 * are milliseconds or strings such as `'500ms'`, `'30s'`, `'2m'`; sizes are bytes or `'512M'`, `'1.5G'`.
 * Paths in a config file are relative to its folder.
 */
export interface CliConfig {
  /** The app's entry file (`.js`, `.cjs`, `.mjs`; `.ts`, `.mts`, `.cts` through tsx). The flag form is `cluster run <app>`. */
  app?: string;
  /** Arguments for the app, `process.argv.slice(2)` in every worker. The flag form is `cluster run <app> -- <args>`. */
  args?: string[];
  /** The instance's name, for `cluster status <name>` and friends. Default: the app's file name without its extension. */
  name?: string;
  /** How many workers: a count, or `'max'`, one per CPU the process may use (a container's CPU quota included). Default: `'max'`. */
  workers?: number | 'max';
  /** How the primary hands out connections: `'round-robin'` (Node's), `'least-connections'`, `'ip-hash'`, `'power-of-two'`, or `'none'` (the OS does). Default: `'round-robin'`. */
  policy?: 'round-robin' | 'least-connections' | 'ip-hash' | 'power-of-two' | 'none' | 'balanced';
  /** When a worker is ready: at its first `'listening'`, or when it sends the ready message (`process.send('ready')`). Default: `'listening'`. */
  ready?: 'listening' | 'message';
  /** The message a worker sends when `ready` is `'message'`. Default: `'ready'`. */
  readyMessage?: string;
  /** A worker not ready within this long failed to start. Default: 30 s. */
  readyTimeout?: number | string;
  /** How long a draining worker (reload, scale down, shutdown) has to finish its requests before SIGTERM. Default: 20 s. */
  drainTimeout?: number | string;
  /** A keep-alive connection idle this long during a drain is closed. Default: 1 s. */
  idleTimeout?: number | string;
  /** From SIGTERM to SIGKILL for a worker that does not exit. Default: 5 s. */
  killTimeout?: number | string;
  /** The delay before the first restart of a crashed worker; it doubles after each failure in a row. Default: 100 ms. */
  restartDelay?: number | string;
  /** The restart delay's ceiling. Default: 10 s. */
  restartMaxDelay?: number | string;
  /** A worker up this long was healthy: its slot's delay and failure count start over. Default: 5 s. */
  minUptime?: number | string;
  /** Failed restarts in a row after which a slot gives up. Default: 10. */
  maxRestarts?: number;
  /** Between two heartbeats of a worker's event loop; `0` or `'off'` for none. Default: 1 s. */
  heartbeat?: number | string | false;
  /** Heartbeats a worker may miss in a row before it is replaced as unresponsive. Default: 5. */
  heartbeatMisses?: number;
  /** A worker whose RSS stays above this is replaced (bytes, or `'512M'`). Default: none. */
  memoryLimit?: number | string;
  /** Variables added to every worker's environment (config files only). */
  env?: Record<string, string>;
  /** Files of `KEY=value` lines added to every worker's environment, in order (`env` wins over them). */
  envFile?: string | string[];
  /** Flags for Node in every worker (`'--max-old-space-size=512'`): a string split at spaces, or a list. */
  nodeArgs?: string | string[];
  /** Serve `/healthz`, `/readyz` and `/status.json` on `[host:]port` (host 127.0.0.1 unless given). Default: off. */
  status?: string | number;
  /** After SIGTERM or SIGINT, keep serving (with `/readyz` at 503) this long before draining, so that load balancers stop sending first. Default: 0. */
  shutdownDelay?: number | string;
  /** Rolling reload when a file under the app's folder changes (not node_modules nor dot-folders). Default: false. */
  watch?: boolean;
  /** Log one JSON object per line (time, slot, pid, stream, text) instead of prefixed text. Default: false. */
  jsonLogs?: boolean;
}

/** Identity, for a typed `cluster.config.mjs`: `export default defineConfig({ workers: 2 })`. */
export function defineConfig(config: CliConfig): CliConfig {
  return config;
}
