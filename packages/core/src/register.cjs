'use strict';
/**
 * `node --require @cluster/core/register app.js` (or `--import`): makes
 * `cluster` and `node:cluster` resolve to @cluster/core, in CommonJS
 * `require` and in ESM `import`, for the app and all its dependencies.
 * Workers inherit it through `execArgv`, and through `CLUSTER_REGISTER` (which
 * the worker bootstrap loads) when `setupPrimary({ execArgv })` leaves it out:
 * a worker that got Node's cluster would take itself for a primary.
 */
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const SPECIFIERS = new Set(['cluster', 'node:cluster']);
const cjsEntry = path.join(__dirname, 'index.cjs');
const esmEntry = pathToFileURL(path.join(__dirname, 'index.js')).href;
const kRegistered = Symbol.for('@cluster/core:register');

if (!globalThis[kRegistered]) {
  globalThis[kRegistered] = true;
  process.env.CLUSTER_REGISTER = __filename;
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (SPECIFIERS.has(request)) return originalLoad.call(this, cjsEntry, parent, false);
    return originalLoad.call(this, request, parent, isMain);
  };
  if (typeof Module.register === 'function') {
    Module.register(pathToFileURL(path.join(__dirname, 'register-hooks.mjs')).href, {
      data: { url: esmEntry },
    });
  }
}
