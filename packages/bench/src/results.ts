/** One measured run: named numbers, plus how disturbed the machine was while it ran. */
export type Sample = Record<string, number>;

/** All runs of one configuration of one implementation. */
export interface Case {
  /** The configuration, e.g. `'keep-alive rr×2'`. */
  config: string;
  /** `'ours'`, `'node'`, `'raw'`, `'channel'`, `'single'`, or a policy name. */
  impl: string;
  samples: Sample[];
}

/** A ratio to report: `metric` of case `ours` over the same metric of case `base`. */
export interface Comparison {
  label: string;
  metric: string;
  unit: string;
  ours: { config: string; impl: string };
  base: { config: string; impl: string };
  /** Which way is better for the ratio. */
  better: 'lower' | 'higher';
  /** A target from the issues: the ratio must be `<=` (better lower) or `>=` (better higher) this. */
  target?: number;
  /** Where the target comes from, e.g. `'#3'`. */
  source?: string;
  /** Shown in the headline table and the chart. */
  headline?: boolean;
}

export interface ScenarioResult {
  scenario: string;
  title: string;
  date: string;
  node: string;
  cores: number;
  cpuModel: string;
  smoke: boolean;
  /** Set when the scenario could not run here (e.g. no wrk). */
  skipped?: string;
  /** How the run was set up: durations, concurrency, counts. */
  setup: string;
  cases: Case[];
  comparisons: Comparison[];
  /** Runs that were repeated because other load disturbed them. */
  repeated: number;
  /** Runs still disturbed after the last repeat (kept, but flagged). */
  disturbed: number;
}

export function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: number[]): Summary {
  const finite = values.filter(Number.isFinite);
  return {
    median: median(finite),
    min: finite.length > 0 ? Math.min(...finite) : Number.NaN,
    max: finite.length > 0 ? Math.max(...finite) : Number.NaN,
    n: finite.length,
  };
}

export function findCase(result: ScenarioResult, ref: { config: string; impl: string }): Case | undefined {
  return result.cases.find((c) => c.config === ref.config && c.impl === ref.impl);
}

export interface RatioSummary extends Summary {
  ours: Summary;
  base: Summary;
  met: boolean | undefined;
}

/** Ratio of medians, with the range of the run-by-run ratios (run i of ours over run i of the base). */
export function ratioOf(result: ScenarioResult, comparison: Comparison): RatioSummary | undefined {
  const ours = findCase(result, comparison.ours);
  const base = findCase(result, comparison.base);
  if (ours === undefined || base === undefined) return undefined;
  const a = ours.samples.map((s) => s[comparison.metric] ?? Number.NaN);
  const b = base.samples.map((s) => s[comparison.metric] ?? Number.NaN);
  const pairs: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) pairs.push((a[i] as number) / (b[i] as number));
  const oursSummary = summarize(a);
  const baseSummary = summarize(b);
  const range = summarize(pairs);
  // Nothing to compare with (e.g. a primary that does no work under SCHED_NONE).
  if (!(baseSummary.median > 0) || !Number.isFinite(oursSummary.median)) return undefined;
  const ratio = oursSummary.median / baseSummary.median;
  const { target } = comparison;
  const met =
    target === undefined || !Number.isFinite(ratio)
      ? undefined
      : comparison.better === 'lower'
        ? ratio <= target
        : ratio >= target;
  return { ...range, median: ratio, ours: oursSummary, base: baseSummary, met };
}
