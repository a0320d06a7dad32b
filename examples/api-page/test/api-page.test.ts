import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { byWorker, killAll, type RunningScript, runScript, TRACER, type TraceEvent } from '@cluster/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let generated: string;
const HARNESS = new URL('./harness.mjs', import.meta.url).href;
const numCPUs = availableParallelism();
const RUN_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 2_000;

beforeAll(async () => {
  generated = await mkdtemp(path.join(tmpdir(), 'cluster-api-page-'));
});
afterAll(async () => {
  await rm(generated, { recursive: true, force: true });
});
afterEach(() => killAll());

/** A running example, as a driver sees it. */
interface Run {
  script: RunningScript;
  port: number;
  trace(): TraceEvent[];
  /** Resolves once the primary's trace has an event that passes `test`. */
  waitForEvent(test: (event: TraceEvent, trace: TraceEvent[]) => boolean): Promise<void>;
  pidOf(worker: number): number;
}

interface Example {
  /** For programs that do not end by themselves: makes them show what they are for, then returns. */
  drive?(run: Run): Promise<void>;
  /** Drops output whose amount is up to timing. */
  normalize?(lines: string[]): string[];
  /** Events whose presence is up to timing, left out of the comparison. */
  untimed?: string[];
  /** Compare the events of the first workers only (for programs stopped while they still fork). */
  firstWorkers?: number;
}

const count = (trace: TraceEvent[], event: string) => trace.filter((entry) => entry.event === event).length;
const allListening = (run: Run) => run.waitForEvent((_, trace) => count(trace, 'listening') === numCPUs);

/** One request on a fresh connection; a worker that dies while answering makes it fail, which is fine. */
function get(port: number): Promise<string> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', () => resolve(''));
    });
    request.on('error', () => resolve(''));
    request.on('close', () => resolve(''));
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy());
  });
}

const EXAMPLES: Record<string, Example> = {
  'server.mjs': { drive: allListening },
  'server.cjs': { drive: allListening },
  'worker-on-disconnect.mjs': {},
  'worker-on-exit.mjs': { drive: killFirstWorker },
  'worker-on-exit.cjs': { drive: killFirstWorker },
  'worker-on-listening.mjs': {},
  'worker-on-listening.cjs': {},
  'worker-on-message.mjs': { drive: countRequests, normalize: lastCount },
  'worker-on-message.cjs': { drive: countRequests, normalize: lastCount },
  'worker-on-online.mjs': {},
  'worker-disconnect.cjs': {},
  'exited-after-disconnect.mjs': {},
  // A killed worker's 'disconnect' may come after its 'exit', and the primary may be gone by then (both ways).
  'is-dead.mjs': { drive: requestUntilAllDead, untimed: ['disconnect'] },
  'is-dead.cjs': { drive: requestUntilAllDead, untimed: ['disconnect'] },
  // 'hi there' reaches the worker before its 'message' listener exists, and is lost there (as in Node).
  'worker-send.mjs': {
    drive: (run) => run.waitForEvent((event) => event.event === 'online'),
    // 'hi there' is sent before the worker's ESM main has loaded: on either implementation it reaches a
    // listener or not depending on when the child first reads its channel, and the echo may come after
    // 'online' or never. The run ends at 'online'; an echo that beat it is not part of the comparison.
    untimed: ['message'],
  },
  'cluster-on-disconnect.mjs': {},
  'cluster-on-exit.mjs': {
    // (The tracer prints an event before its handlers run: wait for the handlers' lines.)
    drive: (run) =>
      run.script.waitForLine(() => run.script.stdout.filter((line) => line.includes('restarting')).length >= 3),
    // The restart loop runs on until it is stopped: compare its first three rounds.
    normalize: (lines) => lines.slice(0, 3),
    firstWorkers: 3,
    // Each fork() emits 'setup', and the loop may have forked once more when it is stopped.
    untimed: ['disconnect', 'setup'],
  },
  'cluster-on-fork.mjs': {},
  'cluster-on-listening.mjs': {},
  'cluster-on-online.mjs': {},
  'setup-primary.mjs': { drive: (run) => run.waitForEvent((_, trace) => count(trace, 'online') === 2) },
  'setup-primary.cjs': { drive: (run) => run.waitForEvent((_, trace) => count(trace, 'online') === 2) },
  'cluster-worker.mjs': { drive: (run) => run.script.waitForLine(() => workerLines(run) === 2).then(() => {}) },
  'cluster-worker.cjs': { drive: (run) => run.script.waitForLine(() => workerLines(run) === 2).then(() => {}) },
  'cluster-workers.mjs': {},
  'cluster-workers.cjs': {},
};

function workerLines(run: Run): number {
  return run.script.stdout.filter((line) => line.startsWith('I am worker')).length;
}

/** `worker.on('exit')`: the page's worker never ends by itself; a signal shows the handler's first branch. */
async function killFirstWorker(run: Run) {
  await run.waitForEvent((event) => event.event === 'online');
  process.kill(run.pidOf(1), 'SIGTERM');
  await run.waitForEvent((event) => event.event === 'exit');
}

const REQUESTS = 3;
async function countRequests(run: Run) {
  await allListening(run);
  for (let i = 0; i < REQUESTS; i++) expect(await get(run.port)).toBe('hello world\n');
  await run.script.waitForLine((line) => line === `numReqs = ${REQUESTS}`);
}
function lastCount(lines: string[]) {
  return lines.filter((line) => line.startsWith('numReqs')).slice(-1);
}

/** `isDead()`: each worker kills itself after answering; the primary ends once none is left. */
async function requestUntilAllDead(run: Run) {
  await allListening(run);
  while (count(run.trace(), 'exit') < numCPUs) await get(run.port);
  await run.script.exited(RUN_TIMEOUT_MS);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The example as the test runs it: ours is the file itself; node:cluster's is the same file with its import
 * switched back, written to a temporary folder (it needs nothing from this package's node_modules).
 */
async function variant(file: string, impl: 'node' | 'ours'): Promise<string> {
  if (impl === 'ours') return path.join(root, file);
  const source = await readFile(path.join(root, file), 'utf8');
  const text = source.replace(/(['"])@cluster\/core\1/, "'node:cluster'");
  expect(text).not.toBe(source);
  const target = path.join(generated, file);
  await writeFile(target, text);
  return target;
}

async function runExample(file: string, impl: 'node' | 'ours', example: Example) {
  const port = await freePort();
  const script = runScript(await variant(file, impl), {
    cwd: root,
    execArgv: ['--import', HARNESS, '--import', TRACER],
    env: { CLUSTER_IMPL: impl, EXAMPLE_PORT: String(port) },
    timeout: RUN_TIMEOUT_MS,
  });
  const parse = (prefix: string) =>
    script.stdout.filter((line) => line.startsWith(prefix)).map((line) => JSON.parse(line.slice(prefix.length)));
  const trace = () => parse('TRACE ') as TraceEvent[];
  const run: Run = {
    script,
    port,
    trace,
    async waitForEvent(test) {
      await script.waitForLine(() => {
        const events = trace();
        return events.some((event) => test(event, events));
      }, RUN_TIMEOUT_MS);
    },
    pidOf(worker) {
      const entry = parse('HARNESS ').find((line) => line.worker === worker);
      return Number(entry?.pid);
    },
  };
  let ending: unknown = 'stopped';
  if (example.drive) {
    await example.drive(run);
    if (script.child.exitCode === null && script.child.signalCode === null) script.kill();
    else ending = { code: script.child.exitCode, signal: script.child.signalCode };
    await script.exited(RUN_TIMEOUT_MS);
  } else {
    ending = await script.exited(RUN_TIMEOUT_MS);
  }
  // Pids and the remapped port aside, what the program printed (in any order across processes).
  const pids = [script.child.pid, ...parse('HARNESS ').map((line) => line.pid)].map(String);
  const clean = (line: string) =>
    line
      .replaceAll(String(port), '8000')
      .replace(/\b\d+\b/g, (number) => (pids.includes(number) ? '<pid>' : number));
  let lines = [...script.stdout, ...script.stderr]
    .filter((line) => line !== '' && !line.startsWith('TRACE ') && !line.startsWith('HARNESS '))
    .map(clean);
  lines = example.normalize ? example.normalize(lines) : lines.sort();
  const events = trace()
    .filter((event) => !example.untimed?.includes(event.event))
    .filter((event) => example.firstWorkers === undefined || Number(event.worker ?? 0) <= example.firstWorkers)
    .map((event) => JSON.parse(clean(JSON.stringify(event))) as TraceEvent);
  return { lines, events, ending };
}

/**
 * The primary's events, as each worker's own sequence and the cluster's: which worker gets which
 * connection, and so which one ends first, is up to the OS and the round-robin's start.
 */
function sequences(events: TraceEvent[]) {
  const { cluster = [], ...workers } = byWorker(events);
  return { cluster, workers: Object.values(workers).map((sequence) => sequence.join(' ')).sort() };
}

describe('every example of the API page, on node:cluster and on @cluster/core', () => {
  // One after another, never in parallel: the examples share one port each run.
  for (const [file, example] of Object.entries(EXAMPLES)) {
    it(`${file} prints the same and emits the same events in the same order`, { timeout: 2 * RUN_TIMEOUT_MS }, async () => {
      const node = await runExample(file, 'node', example);
      const ours = await runExample(file, 'ours', example);
      expect(ours.lines).toEqual(node.lines);
      expect(sequences(ours.events)).toEqual(sequences(node.events));
      expect(ours.ending).toEqual(node.ending);
    });
  }
});
