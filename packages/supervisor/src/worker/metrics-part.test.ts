import type { IntervalHistogram } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { findPromRegistry, LOOP_DELAY_RESOLUTION_MS, metricsPart, promRegistryLookup } from './metrics-part.ts';

const PROM_FILE = '/app/node_modules/prom-client/index.js';
const promModule = () => ({ exports: { register: { getMetricsAsJSON: () => [] } } }) as unknown as NodeModule;
const registryOf = (module: NodeModule | undefined) =>
  (module?.exports as { register?: unknown } | undefined)?.register;
const plain = () => ({ exports: {} }) as unknown as NodeModule;

describe('finding the user’s prom-client', () => {
  it('finds the default registry of a prom-client in the module cache, and only of prom-client', () => {
    expect(findPromRegistry({ '/app/index.js': plain() })).toBeUndefined();
    expect(findPromRegistry({ '/app/node_modules/prom-client-extra/index.js': promModule() })).toBeUndefined();
    const cache = { '/app/index.js': plain(), [PROM_FILE]: promModule() };
    expect(findPromRegistry(cache)).toBe(registryOf(cache[PROM_FILE]));
  });

  it('sees a prom-client loaded after start, and one removed from the cache', () => {
    const cache: NodeJS.Dict<NodeModule> = { '/app/index.js': plain() };
    const lookup = promRegistryLookup(cache);
    expect(lookup()).toBeUndefined();
    expect(lookup()).toBeUndefined();
    cache[PROM_FILE] = promModule();
    expect(lookup()).toBe(registryOf(cache[PROM_FILE]));
    delete cache[PROM_FILE];
    expect(lookup()).toBeUndefined();
  });
});

describe('the event-loop delay', () => {
  it('is how late the monitor ticked: the time between its ticks less its resolution', () => {
    const MS = 1e6;
    const ticks = [LOOP_DELAY_RESOLUTION_MS + 0.2, LOOP_DELAY_RESOLUTION_MS + 0.5, LOOP_DELAY_RESOLUTION_MS + 300];
    const resolutions: number[] = [];
    let enabled = false;
    const fake = {
      get count() {
        return ticks.length;
      },
      get max() {
        return Math.max(...ticks) * MS;
      },
      percentile: (p: number) => (p <= 50 ? (ticks[1] as number) : (ticks[2] as number)) * MS,
      enable: () => {
        enabled = true;
        return true;
      },
      disable: () => true,
      reset: () => {
        ticks.length = 0;
      },
    };
    const part = metricsPart({
      cache: {},
      monitor: ({ resolution }) => {
        resolutions.push(resolution);
        return fake as unknown as IntervalHistogram;
      },
    });
    part.start?.();
    expect({ enabled, resolutions }).toEqual({ enabled: true, resolutions: [LOOP_DELAY_RESOLUTION_MS] });
    const sample = part.acts?.metrics as () => { loopDelayP50: number; loopDelayP99: number; loopDelayMax: number };
    const first = sample();
    expect(first.loopDelayP50).toBeCloseTo(0.5);
    expect(first.loopDelayP99).toBeCloseTo(300);
    expect(first.loopDelayMax).toBeCloseTo(300);
    // Nothing ticked since: 0, not a huge number.
    expect(sample()).toMatchObject({ loopDelayP50: 0, loopDelayP99: 0, loopDelayMax: 0 });
  });
});
