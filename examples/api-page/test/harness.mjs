// Preloaded (`--import`) by the tests into the primary and every worker, on node:cluster and on ours alike.
// 1. The page's examples listen on port 8000; with EXAMPLE_PORT set, listen(8000) listens on that port
//    instead, so that the tests never clash with anything else on 8000 (examples/hello's test uses it).
// 2. In the primary, prints each worker's pid (`HARNESS {"worker":1,"pid":123}`), so that a test can signal
//    a worker and tell pids apart from the rest of the output.
import { createRequire } from 'node:module';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const PAGE_PORT = 8000;
const port = Number(process.env.EXAMPLE_PORT);

if (port > 0) {
  const { listen } = net.Server.prototype;
  net.Server.prototype.listen = function remappedListen(...args) {
    const [first] = args;
    if (Number(first) === PAGE_PORT && typeof first !== 'object') args[0] = port;
    else if (first !== null && typeof first === 'object' && Number(first.port) === PAGE_PORT) args[0] = { ...first, port };
    return Reflect.apply(listen, this, args);
  };
}

const impl = process.env.CLUSTER_IMPL ?? 'ours';
const from = pathToFileURL(process.argv[1] ?? `${process.cwd()}/`).href;
const cluster =
  impl === 'node'
    ? (await import('node:cluster')).default
    : (await import(pathToFileURL(createRequire(from).resolve('@cluster/core')).href)).default;

if (cluster.isPrimary) {
  cluster.on('fork', (worker) => {
    process.stdout.write(`HARNESS ${JSON.stringify({ worker: worker.id, pid: worker.process.pid })}\n`);
  });
}
