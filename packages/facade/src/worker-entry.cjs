'use strict';
/**
 * Preloaded into every worker by `fork()` with `--require`, so that it runs synchronously before the user's
 * code and before the worker reads any message, and a CommonJS main stays on the CommonJS loader (any
 * `--import` would put the main on the ESM loader, after `online`). Loading the package (`require()` of an
 * ES module, Node >= 20.19) starts the worker side, so that a worker script that never imports us still
 * shares its ports; a later `import` of the package by the user gets the same module instances.
 *
 * Node 20 also runs `--require` preloads in the thread of any module hooks (`module.register()`, as the
 * `register` preload does): only the main thread, which holds the IPC channel to the primary, is the worker.
 */
if (process.channel !== undefined) {
  require('./index.js');

  // The worker's execArgv reads as the user set it, and its own children do not inherit the preload. This is
  // the entry `preloadFlag()` of @cluster/worker made for this file, and fork() put it after any the user
  // gave: the last match is ours.
  const at = process.execArgv.lastIndexOf(`--require=${__filename}`);
  if (at !== -1) process.execArgv.splice(at, 1);

  // A primary run through a `register` preload (such as `@cluster/core/register`) names it here, so that the
  // worker's `cluster` is ours too even when `setupPrimary({ execArgv })` dropped the preload flag.
  const register = process.env.CLUSTER_REGISTER;
  if (register !== undefined && register !== '') require(register);
}
