import { type Context, measured } from '../measure.ts';
import { start } from '../proc.ts';
import type { Comparison } from '../results.ts';
import { fixture } from '../servers.ts';
import { createCases, type ScenarioOutput } from './types.ts';

// Long enough that both sides run optimised code: at 3000 round trips the JIT warm-up of our extra
// JavaScript still showed as ~30 % more CPU per round trip, at 20 000 none was left.
const SIZES = [
  { label: '50 B', bytes: 50, rate: 100_000, rtt: 20_000 },
  { label: '64 KiB', bytes: 65_536, rate: 4000, rtt: 2000 },
];
const SERIALIZATIONS = ['json', 'advanced'] as const;
const TESTS = [
  { name: 'rate', pinned: false },
  { name: 'rate', pinned: true },
  { name: 'rtt', pinned: false },
  { name: 'rtt', pinned: true },
];
/** Both processes on one CPU: no cross-core wake-up (~60 µs on this VM) hides the software cost. */
const PINNED_CPU = '0';

interface Flavour {
  /** The implementation under test and the one it is compared with. */
  ours: string;
  base: string;
  title: string;
  source: string;
  rateTarget: number;
  rttTarget: number;
}

/** @cluster/core's worker.send/process.send against node:cluster's (#3). */
export const CLUSTER_IPC: Flavour = {
  ours: 'ours',
  base: 'node',
  title: 'cluster',
  source: '#3',
  rateTarget: 1.1,
  rttTarget: 1.1,
};
/** An @cluster/ipc channel against raw child.send/process.send on the same fork (#4). */
export const CHANNEL_IPC: Flavour = {
  ours: 'channel',
  base: 'raw',
  title: '@cluster/ipc',
  source: '#4',
  rateTarget: 0.9,
  rttTarget: 1.1,
};

export async function ipcScenario(ctx: Context, flavour: Flavour): Promise<ScenarioOutput> {
  const scale = ctx.smoke ? 100 : 1;
  const sizes = SIZES;
  const serializations = ctx.smoke ? (['json'] as const) : SERIALIZATIONS;
  const setup =
    `rate: a burst of ${SIZES.map((s) => `${s.rate / scale} × ${s.label}`).join(' / ')} worker → primary after a warm-up burst; ` +
    `round trip: ${SIZES.map((s) => `${s.rtt / scale} × ${s.label}`).join(' / ')} sequential echoes after a warm-up; ` +
    `pinned: both processes on CPU ${PINNED_CPU}; ${ctx.reps} interleaved runs each`;
  const cases = createCases();
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const test of TESTS) {
      for (const size of sizes) {
        for (const serialization of serializations) {
          const config = `${test.name}${test.pinned ? ' pinned' : ''} ${serialization} ${size.label}`;
          for (const impl of [flavour.ours, flavour.base]) {
            const sample = await measured(ctx, `ipc ${config} ${impl}`, async () => {
              const count = Math.max(10, Math.floor((test.name === 'rate' ? size.rate : size.rtt) / scale));
              const proc = start(process.execPath, [fixture('ipc.mjs')], {
                env: {
                  BENCH_IMPL: impl,
                  BENCH_TEST: test.name,
                  BENCH_SERIALIZATION: serialization,
                  BENCH_SIZE: String(size.bytes),
                  BENCH_COUNT: String(count),
                },
                ...(test.pinned ? { cpus: PINNED_CPU } : {}),
                timeout: 60_000,
              });
              const result = await proc.json<Record<string, number>>((v) => typeof v.primary === 'number', 60_000);
              await proc.exited;
              const { primary, childPid, ...numbers } = result;
              void primary;
              void childPid;
              return numbers;
            });
            cases.add(config, impl, sample);
          }
        }
      }
    }
  }
  const comparisons: Comparison[] = [];
  const pair = (config: string) => ({
    ours: { config, impl: flavour.ours },
    base: { config, impl: flavour.base },
  });
  for (const size of sizes) {
    for (const serialization of serializations) {
      const tail = `${serialization} ${size.label}`;
      const small = size.bytes < 1000;
      comparisons.push(
        {
          label: `${flavour.title} ${tail}: messages/s`,
          metric: 'messagesPerSec',
          unit: 'msg/s',
          ...pair(`rate ${tail}`),
          better: 'higher',
          ...(flavour === CHANNEL_IPC ? { target: flavour.rateTarget, source: flavour.source, headline: small } : {}),
        },
        {
          label: `${flavour.title} ${tail}: receive CPU per message`,
          metric: 'receiveCpuPerMsgUs',
          unit: 'µs',
          ...pair(`rate ${tail}`),
          better: 'lower',
        },
        {
          label: `${flavour.title} ${tail}: messages/s, pinned`,
          metric: 'messagesPerSec',
          unit: 'msg/s',
          ...pair(`rate pinned ${tail}`),
          better: 'higher',
        },
        {
          // Pinned, the receiver wakes as often whichever side is slower, so CPU per message compares fairly.
          label: `${flavour.title} ${tail}: receive CPU per message, pinned`,
          metric: 'receiveCpuPerMsgUs',
          unit: 'µs',
          ...pair(`rate pinned ${tail}`),
          better: 'lower',
          ...(flavour === CLUSTER_IPC ? { target: 1.1, source: flavour.source, headline: small } : {}),
        },
        {
          label: `${flavour.title} ${tail}: round trip`,
          metric: 'rttMedianUs',
          unit: 'µs',
          ...pair(`rtt ${tail}`),
          better: 'lower',
        },
        {
          label: `${flavour.title} ${tail}: round trip, pinned`,
          metric: 'rttMedianUs',
          unit: 'µs',
          ...pair(`rtt pinned ${tail}`),
          better: 'lower',
          target: flavour.rttTarget,
          source: flavour.source,
          headline: small,
        },
        {
          label: `${flavour.title} ${tail}: CPU per round trip, pinned (both sides)`,
          metric: 'cpuPerRtUs',
          unit: 'µs',
          ...pair(`rtt pinned ${tail}`),
          better: 'lower',
        },
      );
    }
  }
  // One number for "CPU per round trip": both processes together.
  for (const c of cases.list()) {
    for (const s of c.samples) {
      if (s.parentCpuPerRtUs !== undefined) s.cpuPerRtUs = s.parentCpuPerRtUs + (s.childCpuPerRtUs ?? 0);
    }
  }
  return { setup, cases: cases.list(), comparisons };
}
