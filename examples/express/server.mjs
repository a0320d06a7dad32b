// An express app served by several workers, written for node:cluster and run unchanged on ours:
// `node --import @cluster/core/register server.mjs`.
import cluster from 'node:cluster';
import process from 'node:process';
import express from 'express';

const WORKERS = Number(process.env.WORKERS ?? 3);
const PORT = Number(process.env.PORT ?? 0);

if (cluster.isPrimary) {
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  cluster.on('listening', (worker, address) => console.log(`worker ${worker.id} listening on ${address.port}`));
  cluster.on('exit', (worker, code, signal) => console.log(`worker ${worker.id} exited (${signal ?? code})`));
} else {
  const app = express();
  app.use(express.json());
  app.get('/', (req, res) => res.json({ worker: cluster.worker.id }));
  app.post('/echo', (req, res) => res.json({ worker: cluster.worker.id, body: req.body }));
  app.listen(PORT, '127.0.0.1');
}
