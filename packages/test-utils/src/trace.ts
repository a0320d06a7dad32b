import { fileURLToPath } from 'node:url';
import { type RunOptions, runScript } from './processes.ts';

/** The implementation a trace fixture runs on; fixtures read it from `CLUSTER_IMPL`. */
export type Impl = 'node' | 'ours';

/** One line of a fixture's trace: `TRACE {"event":..., ...}` on stdout. */
export type TraceEvent = Record<string, unknown> & { event: string };

const PREFIX = 'TRACE ';

/** Where the fixture helper lives; fixtures import it to pick the implementation and print traces. */
export const FIXTURE_HELPER = fileURLToPath(new URL('./fixture.mjs', import.meta.url));

/**
 * Runs a fixture to its end on one implementation and returns its trace.
 * The fixture must exit by itself (bounded by `timeout`).
 */
export async function traceOf(file: string, impl: Impl, options: RunOptions = {}): Promise<TraceEvent[]> {
  const script = runScript(file, { ...options, env: { ...options.env, CLUSTER_IMPL: impl } });
  const { code, signal } = await script.exited(options.timeout);
  const trace = script.stdout
    .filter((line) => line.startsWith(PREFIX))
    .map((line) => JSON.parse(line.slice(PREFIX.length)) as TraceEvent);
  if (code !== 0 || signal !== null) {
    throw new Error(
      `${impl}: ${file} ended with ${signal ?? code}\nstdout:\n${script.stdout.join('\n')}\nstderr:\n${script.stderr.join('\n')}`,
    );
  }
  return trace;
}

/** Runs a fixture on node:cluster and on ours, side by side. */
export async function traceBoth(file: string, options: RunOptions = {}) {
  const [node, ours] = await Promise.all([traceOf(file, 'node', options), traceOf(file, 'ours', options)]);
  return { node, ours };
}

/** Where the event tracer lives: preload it with `--import` to trace an unmodified program. */
export const TRACER = new URL('./tracer.mjs', import.meta.url).href;

/** Splits a trace into each worker's own sequence of events (their interleaving is up to the OS). */
export function byWorker(trace: readonly TraceEvent[]): Record<string, string[]> {
  const sequences: Record<string, string[]> = {};
  for (const entry of trace) {
    const key = entry.worker === undefined ? 'cluster' : String(entry.worker);
    (sequences[key] ??= []).push(entry.event);
  }
  return sequences;
}
