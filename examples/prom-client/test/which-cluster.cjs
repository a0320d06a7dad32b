// Preloaded after register by the test: says, in the primary and in every worker, whose cluster `require('cluster')` gives.
// (Node 20 also runs `--require` preloads in the module hooks' thread: that one stays quiet.)
if (require('node:worker_threads').isMainThread) {
  const cluster = require('cluster');
  const ours = cluster === globalThis[Symbol.for('@cluster/facade:cluster')];
  console.log(`cluster: ${ours ? 'ours' : 'node'} in ${cluster.isPrimary ? 'primary' : 'worker'}`);
}
