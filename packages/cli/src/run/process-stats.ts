import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc counts CPU time in ticks of 1/100 s on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
/** How often the CPU use of each worker is sampled. */
export const CPU_SAMPLE_INTERVAL_MS = 1_000;

/** CPU time (user + system) a process has used, in ms, from /proc; `undefined` off Linux or once it is gone. */
export function cpuTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1_000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Each worker's CPU use over the last sampling interval, as a percentage of one CPU (200 is two CPUs'
 * worth), read from the primary, so that it needs nothing of the worker and works for any app.
 */
export class CpuSampler {
  readonly #last = new Map<number, { at: number; cpu: number }>();
  readonly #percent = new Map<number, number>();
  readonly #pids: () => number[];
  #timer: NodeJS.Timeout | undefined;

  constructor(pids: () => number[]) {
    this.#pids = pids;
  }

  start(): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), CPU_SAMPLE_INTERVAL_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  sample(): void {
    const now = performance.now();
    const live = new Set(this.#pids());
    for (const pid of live) {
      const cpu = cpuTime(pid);
      if (cpu === undefined) continue;
      const last = this.#last.get(pid);
      if (last !== undefined && now > last.at) this.#percent.set(pid, ((cpu - last.cpu) / (now - last.at)) * 100);
      this.#last.set(pid, { at: now, cpu });
    }
    for (const pid of this.#last.keys()) {
      if (!live.has(pid)) {
        this.#last.delete(pid);
        this.#percent.delete(pid);
      }
    }
  }

  /** The last figure for `pid`, once two samples were taken. */
  percent(pid: number): number | undefined {
    return this.#percent.get(pid);
  }
}
