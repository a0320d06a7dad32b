// The page's examples of worker.disconnect(), exitedAfterDisconnect, isDead(), send() and cluster.worker.
import http from 'node:http';
import net from 'node:net';
import process from 'node:process';
import cluster from '@cluster/core';

if (cluster.isPrimary) {
  const worker = cluster.fork();
  let timeout: NodeJS.Timeout | undefined;
  worker.on('listening', (address) => {
    worker.send('shutdown');
    worker.disconnect();
    timeout = setTimeout(() => {
      worker.kill();
    }, 2000);
  });
  worker.on('disconnect', () => {
    clearTimeout(timeout);
  });
} else if (cluster.isWorker) {
  const server = net.createServer((socket) => {
    // Connections never end
  });
  server.listen(8000);
  process.on('message', (msg) => {
    if (msg === 'shutdown') {
      // Initiate graceful close of any connections to server
    }
  });
}

const worker = cluster.fork();
cluster.on('exit', (worker, code, signal) => {
  if (worker.exitedAfterDisconnect === true) {
    console.log('Oh, it was just voluntary – no need to worry');
  }
});
// kill worker
worker.kill();

cluster.on('fork', (worker) => {
  console.log('worker is dead:', worker.isDead());
});
http
  .createServer((req, res) => {
    res.writeHead(200);
    res.end(`Current process\n ${process.pid}`);
    process.kill(process.pid);
  })
  .listen(8000);

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.send('hi there');
} else if (cluster.isWorker) {
  process.on('message', (msg) => {
    process.send?.(msg);
  });
}

if (cluster.isPrimary) {
  console.log('I am primary');
  cluster.fork();
  cluster.fork();
} else if (cluster.isWorker) {
  console.log(`I am worker #${cluster.worker?.id}`);
}

for (const worker of Object.values(cluster.workers ?? {})) {
  worker.send('big announcement to all workers');
}
