export { holdConnections } from './connections.ts';
export type { RunningScript, RunOptions } from './processes.ts';
export { groupMembers, killAll, runScript } from './processes.ts';
export type { ParsedFamily, ParsedSample } from './prometheus.ts';
export { parsePrometheusText, sampleValue } from './prometheus.ts';
export type { Impl, TraceEvent } from './trace.ts';
export { byWorker, FIXTURE_HELPER, TRACER, traceBoth, traceOf, tracesOf, waitForTrace } from './trace.ts';
