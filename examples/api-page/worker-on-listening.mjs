// A fragment of the API page, between the marked lines; the lines around it (not on the page) make it runnable.
import cluster from '@cluster/core';
import net from 'node:net';

if (cluster.isPrimary) {
// ---- from the API page ----
cluster.fork().on('listening', (address) => {
  // Worker is listening
});
// ---- end of the page's code ----
  // Let the worker leave once it listens, so that the program ends.
  cluster.on('listening', (worker) => worker.disconnect());
} else {
  net.createServer().listen(8000);
}
