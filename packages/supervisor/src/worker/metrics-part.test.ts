import { describe, expect, it } from 'vitest';
import { findPromRegistry, promRegistryLookup } from './metrics-part.ts';

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
