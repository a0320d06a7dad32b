import type { Case, Comparison } from '../results.ts';

/** What a scenario hands back; main.ts adds the machine, the date and the disturbance counts. */
export interface ScenarioOutput {
  setup: string;
  cases: Case[];
  comparisons: Comparison[];
  skipped?: string;
}

/** Collects samples into cases, in the order they were first seen. */
export function createCases() {
  const cases = new Map<string, Case>();
  return {
    add(config: string, impl: string, sample: Record<string, number>): void {
      const key = `${config}|${impl}`;
      let entry = cases.get(key);
      if (entry === undefined) cases.set(key, (entry = { config, impl, samples: [] }));
      entry.samples.push(sample);
    },
    list(): Case[] {
      return [...cases.values()];
    },
  };
}
