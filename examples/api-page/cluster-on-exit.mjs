// A fragment of the API page, between the marked lines; the lines around it (not on the page) make it runnable.
import cluster from '@cluster/core';

if (cluster.isPrimary) {
  // End each worker once it runs: the page's handler forks the next one, without end.
  cluster.on('online', (worker) => worker.kill());
// ---- from the API page ----
cluster.on('exit', (worker, code, signal) => {
  console.log('worker %d died (%s). restarting...',
              worker.process.pid, signal || code);
  cluster.fork();
});
// ---- end of the page's code ----
  cluster.fork();
}
