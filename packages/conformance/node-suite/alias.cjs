'use strict';
// Conformance-harness preload: swaps the builtin `cluster` module for a
// re-implementation.  Load it into every process with
//   NODE_OPTIONS='--require "/abs/path/alias.cjs"'  CLUSTER_IMPL=/path/to/impl
//
// When CLUSTER_IMPL is unset (or empty) this file does nothing at all.
//
// What it does when CLUSTER_IMPL is set:
//  * CJS: require('cluster') / require('node:cluster') (any module, including
//    test/common) returns require(CLUSTER_IMPL), by wrapping Module._load.
//  * ESM: import 'node:cluster' / 'cluster' resolves to CLUSTER_IMPL through a
//    module.register() resolve hook.  Registering starts a loader thread in
//    every process, so it is only done when the entry script is *.mjs, or
//    when CLUSTER_ALIAS_ESM=1 (CLUSTER_ALIAS_ESM=0 never registers).
//  * Sticky: node children spawned asynchronously (child_process.fork/spawn,
//    hence cluster workers) whose env lost the preload -- a test that
//    overwrites NODE_OPTIONS or passes a fresh env -- get it added back
//    (NODE_OPTIONS += --require alias, CLUSTER_IMPL).  CLUSTER_ALIAS_STICKY=0
//    turns this off.  spawnSync/execSync children are not touched.
//
// Reaching the builtin from the impl: requests made by the CLUSTER_IMPL file
// itself, or by any file under a directory listed in CLUSTER_IMPL_BYPASS
// (path.delimiter-separated), are NOT redirected and get the builtin.
//
// Node internals never go through Module._load: lib/net.js and lib/dgram.js
// consult the builtin cluster (cluster.isWorker / cluster._getServer) when a
// server listens, and node's bootstrap calls the builtin cluster._setupWorker()
// in any process started with NODE_UNIQUE_ID in its env.  An impl must avoid
// that env name (or live with it); the alias cannot change this.

const implEnv = process.env.CLUSTER_IMPL;

if (implEnv) {
  const Module = require('node:module');
  const path = require('node:path');
  const { pathToFileURL } = require('node:url');

  let implPath;
  try {
    implPath = require.resolve(path.resolve(implEnv));
  } catch (err) {
    err.message = `[cluster alias] cannot resolve CLUSTER_IMPL=${implEnv}: ` + err.message;
    throw err;
  }
  // Children may run with another cwd: hand them the resolved path.
  process.env.CLUSTER_IMPL = implPath;

  const bypassDirs = (process.env.CLUSTER_IMPL_BYPASS || '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((d) => path.resolve(d) + path.sep);

  const isBypassed = (filename) =>
    typeof filename === 'string' && (filename === implPath || bypassDirs.some((d) => filename.startsWith(d)));

  // --- CommonJS -----------------------------------------------------------
  const originalLoad = Module._load;
  Module._load = function _load(request, parent, isMain) {
    if ((request === 'cluster' || request === 'node:cluster') && !(parent && isBypassed(parent.filename))) {
      return originalLoad.call(this, implPath, parent, false);
    }
    return originalLoad.call(this, request, parent, isMain);
  };

  // --- ESM ----------------------------------------------------------------
  const esm = process.env.CLUSTER_ALIAS_ESM;
  const mainIsMjs = typeof process.argv[1] === 'string' && process.argv[1].endsWith('.mjs');
  if (esm === '1' || (esm !== '0' && mainIsMjs)) {
    if (typeof Module.register !== 'function') {
      process.emitWarning(
        '[cluster alias] module.register() unavailable; ' + 'ESM imports of node:cluster are not redirected',
      );
    } else {
      const hooks = `
        let implURL; let bypass = [];
        export function initialize(data) {
          implURL = data.implURL; bypass = data.bypass;
        }
        export async function resolve(specifier, context, next) {
          const parent = context.parentURL || '';
          if ((specifier === 'node:cluster' || specifier === 'cluster') &&
              parent !== implURL && !bypass.some((b) => parent.startsWith(b))) {
            return { url: implURL, shortCircuit: true };
          }
          return next(specifier, context);
        }`;
      Module.register('data:text/javascript,' + encodeURIComponent(hooks), {
        data: {
          implURL: pathToFileURL(implPath).href,
          bypass: bypassDirs.map((d) => pathToFileURL(d).href),
        },
      });
    }
  }

  // --- keep the preload in node children ------------------------------------
  if (process.env.CLUSTER_ALIAS_STICKY !== '0') {
    const { ChildProcess } = require('node:child_process');
    const aliasFile = __filename;
    const requireOpt = `--require ${JSON.stringify(aliasFile)}`;
    const originalSpawn = ChildProcess.prototype.spawn;
    ChildProcess.prototype.spawn = function spawn(options) {
      try {
        if (
          options &&
          Array.isArray(options.envPairs) &&
          typeof options.file === 'string' &&
          (options.file === process.execPath || path.basename(options.file) === 'node')
        ) {
          const pairs = options.envPairs;
          const find = (k) => pairs.findIndex((p) => p.startsWith(k + '='));
          const o = find('NODE_OPTIONS');
          if (o === -1) {
            pairs.push(`NODE_OPTIONS=${requireOpt}`);
          } else if (!pairs[o].includes(aliasFile)) {
            pairs[o] = `${pairs[o]} ${requireOpt}`;
          }
          if (find('CLUSTER_IMPL') === -1) pairs.push(`CLUSTER_IMPL=${implPath}`);
          for (const k of ['CLUSTER_IMPL_BYPASS', 'CLUSTER_ALIAS_ESM']) {
            if (process.env[k] !== undefined && find(k) === -1) pairs.push(`${k}=${process.env[k]}`);
          }
        }
      } catch {
        // never break a spawn because of the harness
      }
      return originalSpawn.call(this, options);
    };
  }
}
