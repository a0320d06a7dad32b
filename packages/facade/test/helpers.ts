import { fileURLToPath } from 'node:url';
import { type RunOptions, type TraceEvent, traceBoth, traceOf } from '@cluster/test-utils';

/** Where the fixtures live. */
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const withOurs = (options: RunOptions): RunOptions => ({
  timeout: 20_000,
  ...options,
  env: { CLUSTER_OURS: '@cluster/facade', ...options.env },
});

/** Runs a fixture on node:cluster and on ours (the facade), side by side. */
export function both(name: string, options: RunOptions = {}) {
  return traceBoth(fixture(name), withOurs(options));
}

/** Runs a fixture on ours only. */
export function ours(name: string, options: RunOptions = {}) {
  return traceOf(fixture(name), 'ours', withOurs(options));
}

/**
 * Splits a trace by the process that printed it: fixtures mark what a worker prints with
 * `side: 'worker'` (or another name), the rest is the primary's. Each process's order is its own;
 * how the lines of different processes interleave is up to the OS.
 */
export function bySide(trace: readonly TraceEvent[]): Record<string, TraceEvent[]> & {
  primary: TraceEvent[];
  worker: TraceEvent[];
} {
  const sides: Record<string, TraceEvent[]> = { primary: [], worker: [] };
  for (const entry of trace) (sides[typeof entry.side === 'string' ? entry.side : 'primary'] ??= []).push(entry);
  return sides as ReturnType<typeof bySide>;
}

const ENDING = /^(worker|cluster):(disconnect|exit)$/;

/**
 * Whether a worker's 'disconnect' or its 'exit' comes first is up to the OS when the process dies on
 * its own. Returns the trace with the two pairs of events in one fixed order and without the fields
 * that depend on that order, plus the order-dependent facts checked against Node's rule: the worker
 * is out of `cluster.workers` by the last of the two events.
 */
export function settleEnding(trace: readonly TraceEvent[]) {
  const rest = trace.filter((entry) => !ENDING.test(entry.event));
  const ending = trace.filter((entry) => ENDING.test(entry.event));
  const last = ending.at(-1);
  const removedByLast = last !== undefined && Array.isArray(last.workers) && last.workers.length === 0;
  const order = (entry: TraceEvent) => (entry.event.endsWith('disconnect') ? 0 : 1);
  const settled = [...ending]
    .sort((a, b) => order(a) - order(b))
    .map(({ workers: _workers, connected: _connected, dead: _dead, state: _state, ...entry }) => entry as TraceEvent);
  return { trace: [...rest, ...settled], removedByLast };
}

/**
 * One sequence of event names per worker (and one for the cluster), with each run of consecutive
 * 'listening' events sorted: a worker's servers get their replies from the primary in any order.
 */
export function perWorker(trace: readonly TraceEvent[]): Record<string, string[]> {
  const sequences: Record<string, TraceEvent[]> = {};
  for (const entry of trace) (sequences[String(entry.worker ?? 'cluster')] ??= []).push(entry);
  const result: Record<string, string[]> = {};
  for (const [key, entries] of Object.entries(sequences)) {
    const names = entries.map((entry) =>
      entry.event === 'listening' ? `listening ${String(entry.addressType)} ${String(entry.address)}` : entry.event,
    );
    const out: string[] = [];
    let run: string[] = [];
    for (const name of [...names, '']) {
      if (name.startsWith('listening')) {
        run.push(name);
        continue;
      }
      out.push(...run.sort());
      run = [];
      if (name !== '') out.push(name);
    }
    result[key] = out;
  }
  return result;
}
