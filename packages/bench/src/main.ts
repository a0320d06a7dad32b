/**
 * `tsx src/main.ts <scenario|all|report> [--smoke]`: runs the scenarios, stores each result in
 * results/<scenario>.json and regenerates docs/benchmarks.md, docs/benchmarks.svg and the Performance
 * section of packages/ipc/README.md from every stored result. `--smoke` runs every scenario very
 * briefly, prints what it measured and writes nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Context } from './measure.ts';
import { stopAll } from './proc.ts';
import { writeReport } from './report.ts';
import { ratioOf, type ScenarioResult } from './results.ts';
import { httpScenario } from './scenarios/http.ts';
import { CHANNEL_IPC, CLUSTER_IPC, ipcScenario } from './scenarios/ipc.ts';
import { metricsScenario } from './scenarios/metrics.ts';
import { scaleScenario } from './scenarios/scale.ts';
import { skewScenario } from './scenarios/skew.ts';
import { startupScenario } from './scenarios/startup.ts';
import { tcpScenario } from './scenarios/tcp.ts';
import type { ScenarioOutput } from './scenarios/types.ts';

const SCENARIOS: Record<string, { title: string; run: (ctx: Context) => Promise<ScenarioOutput> }> = {
  tcp: { title: '2. Raw TCP handoff (one byte, then close)', run: tcpScenario },
  ipc: { title: '3. IPC through the cluster: worker.send/process.send', run: (ctx) => ipcScenario(ctx, CLUSTER_IPC) },
  'ipc-channel': {
    title: '3b. IPC through an @cluster/ipc channel vs raw child.send (#4)',
    run: (ctx) => ipcScenario(ctx, CHANNEL_IPC),
  },
  startup: { title: '4. Start-up and memory', run: startupScenario },
  scale: { title: '5. Scale: 32 workers on one port', run: scaleScenario },
  http: { title: '1. HTTP hello world (wrk)', run: httpScenario },
  skew: { title: '6. Skewed load per policy (#6)', run: skewScenario },
  metrics: { title: '7. Metrics on vs off (#15)', run: metricsScenario },
};
/** The report's order. */
const ORDER = ['http', 'tcp', 'ipc', 'ipc-channel', 'startup', 'scale', 'skew', 'metrics'];
const REPS = 3;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const RESULTS = here('../results/');
const PATHS = {
  markdown: here('../../../docs/benchmarks.md'),
  svg: here('../../../docs/benchmarks.svg'),
  notes: here('../notes.md'),
  ipcReadme: here('../../ipc/README.md'),
};

function storedResults(): ScenarioResult[] {
  return ORDER.map((name) => `${RESULTS}${name}.json`)
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as ScenarioResult);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const names = args.filter((arg) => !arg.startsWith('--'));
  const wanted = names.length === 0 || names.includes('all') ? ORDER : names.filter((n) => n !== 'report');
  for (const name of wanted) if (!(name in SCENARIOS)) throw new Error(`Unknown scenario "${name}"`);
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const started = Date.now();
  for (const name of wanted) {
    const scenario = SCENARIOS[name] as (typeof SCENARIOS)[string];
    const ctx: Context = { smoke, reps: smoke ? 1 : REPS, log, repeated: 0, disturbed: 0 };
    log(`${scenario.title}${smoke ? ' (smoke)' : ''}`);
    const output = await scenario.run(ctx);
    if (output.skipped !== undefined) log(`  skipped: ${output.skipped}`);
    const result: ScenarioResult = {
      scenario: name,
      title: scenario.title,
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      node: process.version,
      cores: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      smoke,
      repeated: ctx.repeated,
      disturbed: ctx.disturbed,
      ...output,
    };
    for (const comparison of result.comparisons) {
      const r = ratioOf(result, comparison);
      if (r !== undefined)
        log(`  ${comparison.label}: ${r.median.toFixed(3)} (${r.min.toFixed(3)}–${r.max.toFixed(3)})`);
    }
    if (!smoke) {
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(`${RESULTS}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
    }
  }
  if (!smoke) {
    writeReport(storedResults(), PATHS);
    log(`wrote ${PATHS.markdown} and ${PATHS.svg}`);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const interrupt = () => void stopAll().then(() => process.exit(130));
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
main().catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await stopAll();
  process.exit(1);
});
