import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ['./src/pack.ts'],
      // attw and tsc load a TypeScript program each; npm installs the tarballs once.
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  }),
);
