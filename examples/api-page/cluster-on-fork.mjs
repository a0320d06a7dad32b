// A fragment of the API page, between the marked lines; the lines around it (not on the page) make it runnable.
import cluster from '@cluster/core';
import net from 'node:net';

if (cluster.isPrimary) {
// ---- from the API page ----
const timeouts = [];
function errorMsg() {
  console.error('Something must be wrong with the connection ...');
}
cluster.on('fork', (worker) => {
  timeouts[worker.id] = setTimeout(errorMsg, 2000);
});
cluster.on('listening', (worker, address) => {
  clearTimeout(timeouts[worker.id]);
});
cluster.on('exit', (worker, code, signal) => {
  clearTimeout(timeouts[worker.id]);
  errorMsg();
});
// ---- end of the page's code ----
  cluster.fork();
  // Let the worker leave once it listens, so that the program ends.
  cluster.on('listening', (worker) => worker.disconnect());
} else {
  net.createServer().listen(8000);
}
