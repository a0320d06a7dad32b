// The API page's first example, as a TypeScript user writes it against @cluster/core.
import http from 'node:http';
import { availableParallelism } from 'node:os';
import process from 'node:process';
import cluster from '@cluster/core';

const numCPUs = availableParallelism();
if (cluster.isPrimary) {
  console.log(`Primary ${process.pid} is running`);
  // Fork workers.
  for (let i = 0; i < numCPUs; i++) {
    cluster.fork();
  }
  cluster.on('exit', (worker, code, signal) => {
    console.log(`worker ${worker.process.pid} died`);
  });
} else {
  // Workers can share any TCP connection
  // In this case it is an HTTP server
  http
    .createServer((req, res) => {
      res.writeHead(200);
      res.end('hello world\n');
    })
    .listen(8000);
  console.log(`Worker ${process.pid} started`);
}
