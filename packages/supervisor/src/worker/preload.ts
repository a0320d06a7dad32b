/**
 * The supervisor's worker side, preloaded with `--require` (a CommonJS bundle) into each worker the
 * supervisor forks, before the worker's own code: workers that never import the supervisor still beat
 * and drain. In a process the supervisor did not start it does nothing.
 */
import { SUPERVISOR_ENV, type WorkerConfig } from '../protocol.ts';
import { WorkerAgent } from './agent.ts';
import { memoryPart } from './memory-part.ts';
import { metricsPart } from './metrics-part.ts';
import { ServerTracker } from './servers.ts';

const raw = process.env[SUPERVISOR_ENV];
// The worker's own children are not supervised workers.
delete process.env[SUPERVISOR_ENV];
const config = parse(raw);

// The worker's execArgv reads as the user set it, and its own children do not inherit the preload.
for (const flag of [config?.flag, `--require=${__filename}`]) {
  const at = flag === undefined ? -1 : process.execArgv.indexOf(flag);
  if (at !== -1) process.execArgv.splice(at, 1);
}

if (config !== undefined && typeof process.send === 'function') {
  const parts = [memoryPart(), new ServerTracker()];
  if (config.metrics === true) parts.push(metricsPart());
  new WorkerAgent(config, parts).start();
}

function parse(value: string | undefined): WorkerConfig | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<WorkerConfig>;
    if (parsed?.v !== 1 || typeof parsed.flag !== 'string' || typeof parsed.beat !== 'number') return undefined;
    return parsed as WorkerConfig;
  } catch {
    return undefined;
  }
}
