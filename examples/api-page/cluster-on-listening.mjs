// A fragment of the API page, between the marked lines; the lines around it (not on the page) make it runnable.
import cluster from '@cluster/core';
import net from 'node:net';

if (cluster.isPrimary) {
// ---- from the API page ----
cluster.on('listening', (worker, address) => {
  console.log(
    `A worker is now connected to ${address.address}:${address.port}`);
});
// ---- end of the page's code ----
  cluster.fork();
  // Let the worker leave once it listens, so that the program ends.
  cluster.on('listening', (worker) => worker.disconnect());
} else {
  net.createServer().listen(8000);
}
