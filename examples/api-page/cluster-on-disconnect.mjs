// A fragment of the API page, between the marked lines; the lines around it (not on the page) make it runnable.
import cluster from '@cluster/core';

if (cluster.isPrimary) {
  // Let the worker leave once it runs, so that the program ends.
  cluster.on('online', (worker) => worker.disconnect());
// ---- from the API page ----
cluster.on('disconnect', (worker) => {
  console.log(`The worker #${worker.id} has disconnected`);
});
// ---- end of the page's code ----
  cluster.fork();
}
