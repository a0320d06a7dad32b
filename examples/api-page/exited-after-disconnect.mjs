// A fragment of the API page, between the marked lines; the lines around it (not on the page) make it runnable.
import cluster from '@cluster/core';

if (cluster.isPrimary) {
  const worker = cluster.fork();
// ---- from the API page ----
cluster.on('exit', (worker, code, signal) => {
  if (worker.exitedAfterDisconnect === true) {
    console.log('Oh, it was just voluntary – no need to worry');
  }
});
// kill worker
worker.kill();
// ---- end of the page's code ----
}
