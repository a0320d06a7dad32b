import { constants } from 'node:os';
import { dirname, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Worker } from '@cluster/core';
import { type StatusServer, startStatusServer } from '@cluster/status';
import { DEFAULT_DRAIN_TIMEOUT_MS, type ShutdownResult, type Supervisor, supervise } from '@cluster/supervisor';
import { type Probe, probe, removeStale } from '../control/control-client.ts';
import { ControlServer } from '../control/control-server.ts';
import type { ControlRequest, ScaleTarget } from '../control/protocol.ts';
import { ensureRuntimeDir, socketPath } from '../control/runtime-dir.ts';
import { formatDuration } from '../duration.ts';
import { cliError } from '../errors.ts';
import { EXIT_CODES, SIGNAL_EXIT_BASE } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';
import type { ListenAddress } from '../option-values.ts';
import type { RunConfig } from '../run-config.ts';
import { VERSION } from '../version.ts';
import { WORKER_PRELOAD_FLAG } from '../worker-preload-flag.ts';
import { describeAddress } from './address.ts';
import { type AppEntry, resolveAppEntry } from './app-entry.ts';
import { createPalette, useColor } from './colors.ts';
import { FolderWatcher } from './folder-watcher.ts';
import { logLifecycle } from './lifecycle-log.ts';
import { jsonFormat, textFormat } from './log-line.ts';
import { LogRelay } from './log-relay.ts';
import { CpuSampler } from './process-stats.ts';
import { Reporter } from './reporter.ts';
import type { InstanceSnapshot } from './snapshot.ts';

/** After the last worker exited, how long its output may take to be read to the end. */
export const OUTPUT_DRAIN_TIMEOUT_MS = 2_000;
/** The signals that shut the instance down; a second one forces. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

type Stage = InstanceSnapshot['state'];

/**
 * One `cluster run`: this process is the primary. It forks the app on every worker through the
 * supervisor, relays the workers' output, answers the control socket and the status server, and turns
 * signals into reloads and graceful shutdowns. `run()` resolves with the exit status once it has stopped.
 */
export class Instance {
  readonly #config: RunConfig;
  readonly #io: CliIo;
  readonly #reporter: Reporter;
  readonly #startedAt = Date.now();
  readonly #addresses = new Set<string>();
  #stage: Stage = 'starting';
  #supervisor: Supervisor<Worker> | undefined;
  #control: ControlServer | undefined;
  #status: StatusServer | undefined;
  #watcher: FolderWatcher | undefined;
  #cpu: CpuSampler | undefined;
  #cluster: Cluster | undefined;
  #relay: LogRelay | undefined;
  #stopping: Promise<number> | undefined;
  #signals = 0;
  /** A second signal ended it at once: no draining of anything. */
  #forced = false;
  readonly #exit: Promise<number>;
  #resolveExit: (code: number) => void = () => {};

  constructor(config: RunConfig, io: CliIo) {
    this.#config = config;
    this.#io = io;
    const palette = createPalette(!config.jsonLogs && useColor(io.stderr, io.env));
    this.#reporter = new Reporter(io.stderr, { json: config.jsonLogs, palette, detailed: io.stderr.isTTY === true });
    this.#exit = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
  }

  /** Starts everything; resolves with the exit status once the instance has stopped. */
  async run(): Promise<number> {
    const config = this.#config;
    const entry = resolveAppEntry(config.app, config.nodeArgs);
    const path = socketPath(config.name, ensureRuntimeDir());
    await this.#claim(path);
    try {
      this.#control = await ControlServer.listen(path, (request, progress) => this.#handle(request, progress));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw nameInUse(config.name);
      throw error;
    }
    // Loaded here, not at the top: `cluster ls` and the other commands never need a cluster.
    const { default: cluster } = await import('@cluster/core');
    try {
      this.#start(cluster, entry);
      // Bound before the first worker can be ready (forks start on the next tick and take far longer).
      if (config.status !== undefined) this.#status = await this.#startStatus(config.status);
    } catch (error) {
      await this.#supervisor?.shutdown({ timeout: 0 }).catch(() => {});
      await this.#close();
      throw error;
    }
    const code = await this.#exit;
    if (this.#forced) return code;
    // A turn of the event loop first, so that the answer to a `cluster stop` is written before its socket ends.
    await new Promise((resolve) => setImmediate(resolve));
    await this.#close();
    return code;
  }

  /** The name is free, or its socket is stale (removed, and said so). */
  async #claim(path: string): Promise<void> {
    const found: Probe = await probe(path);
    if (found.state === 'live') {
      found.socket.destroy();
      throw nameInUse(this.#config.name);
    }
    if (found.state === 'stale' && removeStale(path)) {
      this.#reporter.say(
        'staleSocket',
        `removed the stale control socket of an earlier "${this.#config.name}" (that instance is gone)`,
        'warn',
      );
    }
  }

  #start(cluster: Cluster, entry: AppEntry): void {
    this.#cluster = cluster;
    const config = this.#config;
    const app = entry.file;
    if (config.policy === 'none') cluster.schedulingPolicy = cluster.SCHED_NONE;
    cluster.setupPrimary({
      exec: app,
      args: [...config.args],
      execArgv: [...config.nodeArgs, ...entry.execArgv, WORKER_PRELOAD_FLAG],
      // Piped, to be relayed line by line; no stdin (a worker reading it would wait forever).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      ...(config.policy === undefined || config.policy === 'none' ? {} : { policy: config.policy }),
    });
    cluster.on('listening', (_worker, address) => this.#addresses.add(describeAddress(address)));
    let supervisor: Supervisor<Worker>;
    try {
      supervisor = supervise(cluster, {
        // The status server shows what the workers measure.
        ...(config.status === undefined ? {} : { metrics: true }),
        ...config.supervisor,
        workers: config.workers,
        env: { ...config.env, ...entry.env },
      });
    } catch (error) {
      const { code, message } = error as Error & { code?: string };
      throw cliError('ERR_CLUSTER_INVALID_OPTION_VALUE', message, {
        hint: `(${code}) Run 'cluster run --help' for the options.`,
      });
    }
    this.#supervisor = supervisor;
    const format = config.jsonLogs ? jsonFormat : textFormat(createPalette(useColor(this.#io.stdout, this.#io.env)));
    const relay = new LogRelay({ stdout: this.#io.stdout, stderr: this.#io.stderr }, format);
    this.#relay = relay;
    supervisor.on('fork', ({ slot, worker }) => {
      relay.attach(slot.id, worker.process.pid ?? 0, { stdout: worker.process.stdout, stderr: worker.process.stderr });
    });
    logLifecycle(supervisor, this.#reporter);
    this.#reportStartUp(supervisor, app);
    supervisor.on('reloadStart', () => {
      if (this.#stage === 'running') this.#stage = 'reloading';
    });
    supervisor.on('reloadEnd', () => {
      if (this.#stage === 'reloading') this.#stage = 'running';
    });
    supervisor.on('giveUp', () => {
      // Every slot gone for good: nothing serves, and a restart of the whole (systemd, Kubernetes) may help.
      // (During start-up, `ready`'s rejection says it.)
      if (this.#stage === 'starting') return;
      if (supervisor.workers.length > 0 && supervisor.workers.every((slot) => slot.state === 'failed')) {
        this.#reporter.say('failed', 'every slot gave up: stopping', 'error');
        this.#stop(undefined, EXIT_CODES.failure);
      }
    });
    this.#cpu = new CpuSampler(() => this.#pids());
    this.#cpu.start();
    for (const signal of STOP_SIGNALS) process.on(signal, () => this.#onStopSignal(signal));
    process.on('SIGHUP', () => {
      this.#reporter.say('signal', 'SIGHUP: rolling reload');
      this.#reload();
    });
    if (config.watch) {
      const root = dirname(app);
      this.#watcher = new FolderWatcher(root, (files) => {
        const more = files.length > 1 ? ` and ${files.length - 1} more` : '';
        this.#reporter.say('watch', `${files[0]}${more} changed: rolling reload`);
        this.#reload();
      });
      this.#watcher.start();
    }
  }

  async #startStatus(address: ListenAddress): Promise<StatusServer> {
    try {
      return await startStatusServer({
        supervisor: this.#supervisor as Supervisor<Worker>,
        host: address.host,
        port: address.port,
        title: this.#config.name,
        describe: () => this.snapshot(),
        readiness: () => this.readiness(),
      });
    } catch (error) {
      const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
      throw cliError(
        'ERR_CLUSTER_STATUS_LISTEN_FAILED',
        `--status could not listen on ${address.host}:${address.port} (${cause?.code ?? (error as Error).message})`,
        { cause: error },
      );
    }
  }

  #reportStartUp(supervisor: Supervisor<Worker>, app: string): void {
    const started = performance.now();
    const count = supervisor.workers.length;
    const what = relative(this.#io.cwd, app) || app;
    this.#reporter.say(
      'start',
      `starting ${count} worker${count === 1 ? '' : 's'} of ${what} (primary pid ${process.pid}, "${this.#config.name}")`,
    );
    supervisor.on('ready', ({ slot, worker, startedIn }) => {
      if (this.#stage === 'starting')
        this.#reporter.detail(`slot ${slot.id}  pid ${worker.process.pid}  ready in ${formatDuration(startedIn)}`);
    });
    supervisor.ready.then(
      () => {
        if (this.#stage !== 'starting') return;
        this.#stage = 'running';
        const ready = supervisor.workers.filter((slot) => slot.state === 'ready').length;
        const where =
          this.#addresses.size > 0 ? ` on ${[...this.#addresses].join(', ')}` : ' (listening on no port yet)';
        const p = this.#reporter.palette;
        const took = formatDuration(performance.now() - started);
        const status = this.#status === undefined ? '' : `; status on ${this.#status.url}/status.json`;
        this.#reporter.say(
          'ready',
          p.green(`${ready} worker${ready === 1 ? '' : 's'} ready${where} in ${took}${status}`),
          'info',
          {
            ready,
            addresses: [...this.#addresses],
          },
        );
        if (this.#reporter.detailed) this.#reporter.detail(`cluster status ${this.#config.name} · Ctrl-C stops`);
      },
      (error: Error & { code?: string }) => {
        if (error.code === 'ERR_CLUSTER_SUPERVISOR_STOPPED') return;
        const cause = (error.cause as Error | undefined)?.message;
        this.#reporter.say('startFailed', `the app did not start: ${cause ?? error.message}`, 'error', {
          code: error.code,
        });
        this.#stop(undefined, EXIT_CODES.failure);
      },
    );
  }

  #reload(): void {
    this.#supervisor?.reload().catch(() => {
      // Said by the reloadEnd log; a shutdown cutting it short needs no word.
    });
  }

  #onStopSignal(signal: NodeJS.Signals): void {
    this.#signals++;
    if (this.#signals > 1) {
      this.#reporter.say('forced', `${signal} again: killing every worker`, 'warn');
      for (const slot of this.#supervisor?.workers ?? []) {
        for (const member of slot.workers) {
          if (member.pid === undefined || member.state === 'exited') continue;
          try {
            process.kill(member.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
      this.#forced = true;
      this.#resolveExit(SIGNAL_EXIT_BASE + (constants.signals[signal] ?? 0));
      return;
    }
    this.#stop(signal, undefined);
  }

  /** Shuts down once (later calls share it): readiness off at once, an optional delay, the drain, the exit. */
  #stop(signal: NodeJS.Signals | undefined, code: number | undefined): Promise<number> {
    if (this.#stopping !== undefined) return this.#stopping;
    this.#stage = 'stopping';
    const supervisor = this.#supervisor;
    this.#stopping = (async () => {
      const delay = this.#config.shutdownDelay;
      if (signal !== undefined && delay > 0) {
        this.#reporter.say('shutdownDelay', `${signal}: not ready any more; draining in ${formatDuration(delay)}`);
        await sleep(delay);
      }
      const deadline = this.#config.supervisor.drain?.timeout ?? DEFAULT_DRAIN_TIMEOUT_MS;
      const count = this.#pids().length;
      this.#reporter.say(
        'shutdown',
        `${signal === undefined ? '' : `${signal}: `}shutting down, draining ${count} worker${count === 1 ? '' : 's'} (deadline ${formatDuration(deadline)})`,
      );
      const result: ShutdownResult = supervisor === undefined ? { workers: 0, forced: 0 } : await supervisor.shutdown();
      this.#reporter.say(
        'stopped',
        result.forced === 0
          ? `stopped: ${result.workers} worker${result.workers === 1 ? '' : 's'} drained`
          : `stopped: ${result.forced} of ${result.workers} workers had to be killed at the deadline`,
        result.forced === 0 ? 'info' : 'warn',
        { ...result },
      );
      return code ?? (result.forced === 0 ? EXIT_CODES.ok : EXIT_CODES.failure);
    })();
    this.#stopping.then((exit) => this.#resolveExit(exit));
    return this.#stopping;
  }

  async #close(): Promise<void> {
    this.#watcher?.close();
    this.#cpu?.stop();
    await this.#relay?.finished(OUTPUT_DRAIN_TIMEOUT_MS);
    await this.#control?.close();
    await this.#status?.close();
  }

  async #handle(request: ControlRequest, progress: (event: unknown) => void): Promise<unknown> {
    const supervisor = this.#supervisor;
    if (request.cmd === 'status') return this.snapshot();
    if (supervisor === undefined || this.#stopping !== undefined) {
      if (request.cmd === 'stop' && this.#stopping !== undefined) return this.#stopping.then(() => ({ stopped: true }));
      throw cliError('ERR_CLUSTER_CONTROL_FAILED', 'the instance is shutting down');
    }
    if (request.cmd === 'reload') {
      const onProgress = ({
        slot,
        worker,
        done,
        total,
      }: {
        slot: { id: number };
        worker: Worker;
        done: number;
        total: number;
      }) => progress({ slot: slot.id, pid: worker.process.pid, done, total });
      supervisor.on('reloadProgress', onProgress);
      try {
        return await supervisor.reload();
      } finally {
        supervisor.off('reloadProgress', onProgress);
      }
    }
    if (request.cmd === 'scale') {
      const from = supervisor.workers.filter((slot) => slot.state !== 'stopping' && slot.state !== 'stopped').length;
      const to = scaleTarget(request.workers, from);
      await supervisor.scale(to);
      return { from, to: supervisor.workers.length };
    }
    this.#reporter.say('signal', "'cluster stop' asked for a shutdown");
    const status = await this.#stop(undefined, undefined);
    return { stopped: true, exitCode: status };
  }

  #pids(): number[] {
    const pids: number[] = [];
    for (const slot of this.#supervisor?.workers ?? []) {
      for (const member of slot.workers)
        if (member.pid !== undefined && member.state !== 'exited') pids.push(member.pid);
    }
    return pids;
  }

  /**
   * Open connections on the shared servers of each worker process, as the primary counts them
   * (`cluster.connectionStats()`): no reading of the kernel's TCP tables, which hold every socket of the
   * machine and can take a good part of a second to read.
   */
  #connectionsByPid(): Map<number, number> {
    const byId = new Map<number, number>();
    for (const listener of this.#cluster?.connectionStats() ?? []) {
      for (const { id, connections } of listener.workers) byId.set(id, (byId.get(id) ?? 0) + connections);
    }
    const byPid = new Map<number, number>();
    for (const slot of this.#supervisor?.workers ?? []) {
      for (const member of slot.workers) {
        if (member.pid !== undefined) byPid.set(member.pid, byId.get(member.worker.id) ?? 0);
      }
    }
    return byPid;
  }

  /** For `/readyz`: at least one worker ready and no shutdown started. */
  readiness(): { ready: boolean; workers: number; state: Stage } {
    const workers = this.#supervisor?.workers.filter((slot) => slot.state === 'ready').length ?? 0;
    return { ready: workers > 0 && this.#stopping === undefined, workers, state: this.#stage };
  }

  /** The instance now, for `cluster status` and `/status.json`. */
  snapshot(): InstanceSnapshot {
    const slots = this.#supervisor?.workers ?? [];
    const connections = this.#connectionsByPid();
    return {
      name: this.#config.name,
      pid: process.pid,
      app: this.#config.app,
      state: this.#stage,
      ready: slots.filter((slot) => slot.state === 'ready').length,
      startedAt: new Date(this.#startedAt).toISOString(),
      uptime: Date.now() - this.#startedAt,
      addresses: [...this.#addresses],
      statusAddress: this.#status?.url ?? null,
      version: VERSION,
      workers: slots.map((slot) => {
        const cpu = slot.pid === undefined ? undefined : this.#cpu?.percent(slot.pid);
        return {
          slot: slot.id,
          pid: slot.pid ?? null,
          state: slot.state,
          uptime: slot.uptime,
          restarts: slot.restarts,
          cpu: cpu === undefined ? null : Math.round(cpu * 10) / 10,
          memory: slot.stats?.rss ?? null,
          connections: slot.pid === undefined ? null : (connections.get(slot.pid) ?? null),
        };
      }),
    };
  }
}

function nameInUse(name: string) {
  return cliError('ERR_CLUSTER_NAME_IN_USE', `an instance named "${name}" is already running`, {
    hint: `Choose another with --name, or stop it first: cluster stop ${name}`,
  });
}

function scaleTarget(target: ScaleTarget, current: number): number | 'max' {
  if (typeof target === 'number' || target === 'max') return target;
  const next = current + Number(target);
  if (next < 0 || next > 1024)
    throw cliError('ERR_CLUSTER_CONTROL_FAILED', `cannot scale from ${current} by ${target}`);
  return next;
}
