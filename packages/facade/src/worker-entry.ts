/**
 * Preloaded into every worker by `fork()` (`--import`), before the user's
 * code: it starts the worker side so that a worker script that never imports
 * us still shares its ports through the primary.
 */
import { preloadFlag } from '@cluster/worker';
import { getCluster } from './instance.ts';

// The worker's execArgv reads as the user set it, and its own children do not inherit the preload.
const flag = preloadFlag(import.meta.url);
const at = process.execArgv.indexOf(flag);
if (at !== -1) process.execArgv.splice(at, 1);

getCluster();
