// The page's Worker event examples: 'disconnect', 'exit', 'listening', 'online', 'message'.
import http from 'node:http';
import { availableParallelism } from 'node:os';
import process from 'node:process';
import cluster from '@cluster/core';

cluster.fork().on('disconnect', () => {
  // Worker has disconnected
});

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('exit', (code, signal) => {
    if (signal) {
      console.log(`worker was killed by signal: ${signal}`);
    } else if (code !== 0) {
      console.log(`worker exited with error code: ${code}`);
    } else {
      console.log('worker success!');
    }
  });
}

cluster.fork().on('listening', (address) => {
  // Worker is listening
});

cluster.fork().on('online', () => {
  // Worker is online
});

if (cluster.isPrimary) {
  // Keep track of http requests
  let numReqs = 0;
  setInterval(() => {
    console.log(`numReqs = ${numReqs}`);
  }, 1000);
  // Count requests
  function messageHandler(msg: { cmd?: string }) {
    if (msg.cmd && msg.cmd === 'notifyRequest') {
      numReqs += 1;
    }
  }
  // Start workers and listen for messages containing notifyRequest
  const numCPUs = availableParallelism();
  for (let i = 0; i < numCPUs; i++) {
    cluster.fork();
  }
  // (TypeScript: `workers` exists in the primary only, as in node:cluster's types.)
  for (const id in cluster.workers) {
    cluster.workers[id]?.on('message', messageHandler);
  }
} else {
  // Worker processes have a http server.
  http
    .createServer((req, res) => {
      res.writeHead(200);
      res.end('hello world\n');
      // Notify primary about the request
      process.send?.({ cmd: 'notifyRequest' });
    })
    .listen(8000);
}
