// A preload (`--import`) that prints every event the primary's cluster emits, on either implementation,
// so that an unmodified program can be traced on node:cluster and on ours and the traces compared.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const impl = process.env.CLUSTER_IMPL ?? 'ours';

/**
 * Our cluster as the program under test resolves it (this helper's package depends on none of ours):
 * `@cluster/core` unless `CLUSTER_OURS` names another package (`@cluster/facade` in the facade's own tests).
 */
function oursUrl() {
  const from = process.argv[1] ? pathToFileURL(process.argv[1]).href : pathToFileURL(`${process.cwd()}/`).href;
  return pathToFileURL(createRequire(from).resolve(process.env.CLUSTER_OURS ?? '@cluster/core')).href;
}
const cluster = impl === 'node' ? (await import('node:cluster')).default : (await import(oursUrl())).default;

const describe = (event, args) => {
  const [first, ...rest] = args;
  const isWorker = first !== null && typeof first === 'object' && typeof first.id === 'number';
  const fields = { event };
  if (isWorker) fields.worker = first.id;
  if (event === 'fork') fields.pid = String(first.process.pid);
  if (event === 'exit') [fields.code, fields.signal] = rest;
  if (event === 'listening') fields.address = rest[0];
  if (event === 'message') fields.message = rest[0];
  return fields;
};

if (cluster.isPrimary) {
  const emit = cluster.emit;
  cluster.emit = function tracedEmit(event, ...args) {
    if (typeof event === 'string' && event !== 'newListener' && event !== 'removeListener') {
      process.stdout.write(`TRACE ${JSON.stringify(describe(event, args))}\n`);
    }
    return emit.call(this, event, ...args);
  };
}
