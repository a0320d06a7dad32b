'use strict';
/**
 * Preloaded into every worker by `fork()` with `--require`, so that it runs synchronously before the
 * user's code and a CommonJS main stays on the CommonJS loader (any `--import` would put it on the ESM
 * loader, after `online`). It loads the ES module bootstrap through `require()` (Node >= 20.19), and a
 * later `import` of the package by the user gets the same module instances.
 *
 * Node 20 also runs `--require` preloads in the thread of any module hooks (`module.register()`, as the
 * `register` preload does): only the main thread, which holds the IPC channel to the primary, is the worker.
 */
if (process.channel !== undefined) require('./worker-bootstrap.js');
