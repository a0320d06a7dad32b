// A fragment of the API page, between the marked lines; the lines around it (not on the page) make it runnable.
import cluster from '@cluster/core';

// ---- from the API page ----
if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.send('hi there');
} else if (cluster.isWorker) {
  process.on('message', (msg) => {
    process.send(msg);
  });
}
// ---- end of the page's code ----
