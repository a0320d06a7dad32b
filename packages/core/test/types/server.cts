// The first example's CommonJS form: `require` gives the cluster object itself.
import cluster = require('@cluster/core');
import http = require('node:http');

const numCPUs = require('node:os').availableParallelism();
if (cluster.isPrimary) {
  console.log(`Primary ${process.pid} is running`);
  for (let i = 0; i < numCPUs; i++) {
    cluster.fork();
  }
  cluster.on('exit', (worker, code, signal) => {
    console.log(`worker ${worker.process.pid} died`);
  });
} else {
  http
    .createServer((req, res) => {
      res.writeHead(200);
      res.end('hello world\n');
    })
    .listen(8000);
  console.log(`Worker ${process.pid} started`);
}

// The types travel with the CommonJS entry too.
const worker: cluster.Worker = cluster.fork();
const settings: cluster.Settings = cluster.settings;
void worker;
void settings;
