import cluster from '@cluster/core';
for (const worker of Object.values(cluster.workers)) {
  worker.send('big announcement to all workers');
}
