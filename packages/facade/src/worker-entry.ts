/**
 * Preloaded into every worker by `fork()` (`--import`), before the user's
 * code: it starts the worker side so that a worker script that never imports
 * us still shares its ports through the primary.
 */
import { createRequire } from 'node:module';
import { preloadFlag } from '@cluster/worker';
import { getCluster } from './instance.ts';

// The worker's execArgv reads as the user set it, and its own children do not inherit the preload.
const flag = preloadFlag(import.meta.url);
const at = process.execArgv.indexOf(flag);
if (at !== -1) process.execArgv.splice(at, 1);

// A primary run through a `register` preload (such as `@cluster/core/register`) names it here, so that the
// worker's `cluster` is ours too even when `setupPrimary({ execArgv })` dropped the preload flag.
const register = process.env.CLUSTER_REGISTER;
if (register !== undefined && register !== '') createRequire(import.meta.url)(register);

getCluster();
