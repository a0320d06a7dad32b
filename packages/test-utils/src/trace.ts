import { fileURLToPath } from 'node:url';
import { type RunningScript, type RunOptions, runScript } from './processes.ts';

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
  const trace = tracesOf(script);
  if (code !== 0 || signal !== null) {
    throw new Error(
      `${impl}: ${file} ended with ${signal ?? code}\nstdout:\n${script.stdout.join('\n')}\nstderr:\n${script.stderr.join('\n')}`,
    );
  }
  return trace;
}

/** Every trace line a running fixture has printed so far. */
export function tracesOf(script: RunningScript): TraceEvent[] {
  return script.stdout.filter((line) => line.startsWith(PREFIX)).map(parseTrace);
}

/** The first trace event named `event` that passes `test`, among those printed so far and later. */
export async function waitForTrace(
  script: RunningScript,
  event: string,
  test: (entry: TraceEvent) => boolean = () => true,
  timeout?: number,
): Promise<TraceEvent> {
  const line = await script.waitForLine((candidate) => {
    if (!candidate.startsWith(PREFIX)) return false;
    const entry = parseTrace(candidate);
    return entry.event === event && test(entry);
  }, timeout);
  return parseTrace(line);
}

const parseTrace = (line: string) => JSON.parse(line.slice(PREFIX.length)) as TraceEvent;

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
