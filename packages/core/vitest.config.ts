import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The fault suite (test/faults) loads the machine on purpose: one file at a time, so that the kill
// storm is not measured while the churn case saturates both cores.
export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false } }));
