/**
 * The worker side's start, run by `./worker-entry.cjs` before the user's code: it starts the worker so that
 * a worker script that never imports us still shares its ports through the primary, and so that the worker
 * hears its primary (a message, a disconnect) before any user code runs, as Node's own worker does.
 */
import { createRequire } from 'node:module';
import { getCluster, WORKER_PRELOAD_FLAG } from './instance.ts';

// The worker's execArgv reads as the user set it, and its own children do not inherit the preload. fork()
// puts the flag last, after any the user gave, so the last match is ours.
const at = process.execArgv.lastIndexOf(WORKER_PRELOAD_FLAG);
if (at !== -1) process.execArgv.splice(at, 1);

// A primary run through a `register` preload (such as `@cluster/core/register`) names it here, so that the
// worker's `cluster` is ours too even when `setupPrimary({ execArgv })` dropped the preload flag.
const register = process.env.CLUSTER_REGISTER;
if (register !== undefined && register !== '') createRequire(import.meta.url)(register);

getCluster();
