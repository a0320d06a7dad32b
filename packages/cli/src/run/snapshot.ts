import type { SlotState } from '@cluster/supervisor';

/** One slot, as `cluster status` and `/status.json` show it. */
export interface WorkerSnapshot {
  readonly slot: number;
  readonly pid: number | null;
  readonly state: SlotState;
  /** Milliseconds its worker has been ready. */
  readonly uptime: number;
  /** Replacements after a crash, a hang or the memory limit. */
  readonly restarts: number;
  /** Percent of one CPU over the last second (Linux), or null. */
  readonly cpu: number | null;
  /** Resident set size in bytes, from its last heartbeat, or null. */
  readonly memory: number | null;
  /** Open connections on its shared servers (as the primary counts them), or null with no process. */
  readonly connections: number | null;
}

/** A running instance, as the control socket's `status` and `/status.json` return it. */
export interface InstanceSnapshot {
  readonly name: string;
  /** The primary's pid (the `cluster run` process). */
  readonly pid: number;
  readonly app: string;
  /** `starting` until every slot is ready once; `reloading` during a reload; `stopping` from a shutdown on. */
  readonly state: 'starting' | 'running' | 'reloading' | 'stopping';
  /** How many slots have a ready worker. */
  readonly ready: number;
  /** ISO time the instance started. */
  readonly startedAt: string;
  /** Milliseconds since then. */
  readonly uptime: number;
  /** Where the workers listen, as they said in their `'listening'` events (`http://localhost:8000/`). */
  readonly addresses: readonly string[];
  /** The status server's address, if `--status` started one. */
  readonly statusAddress: string | null;
  readonly workers: readonly WorkerSnapshot[];
  /** The CLI's version. */
  readonly version: string;
}
