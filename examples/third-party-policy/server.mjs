// A clustered HTTP server balanced by the third-party policy. PORT=0 picks an ephemeral port.
import http from 'node:http';
import process from 'node:process';
import cluster from '@cluster/core';
import { fewestHanded } from '@cluster/example-policy-fewest-handed';

const WORKERS = Number(process.env.WORKERS ?? 2);
const PORT = Number(process.env.PORT ?? 8000);

if (cluster.isPrimary) {
  cluster.setupPrimary({ policy: fewestHanded() });
  let listening = 0;
  cluster.on('listening', (worker, address) => {
    if (++listening === WORKERS) console.log(`listening on ${address.port} with ${WORKERS} workers`);
  });
  for (let i = 0; i < WORKERS; i++) cluster.fork();
} else {
  http
    .createServer((req, res) => {
      res.setHeader('x-worker', String(cluster.worker.id));
      res.end('hello world\n');
    })
    .listen(PORT, '127.0.0.1');
}
