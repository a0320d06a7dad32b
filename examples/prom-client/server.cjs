// A clustered app that knows nothing of @cluster: run it with `node --require @cluster/core/register server.cjs`.
// The primary serves /metrics aggregated from every worker (prom-client's AggregatorRegistry);
// each worker counts the requests it serves.
const cluster = require('node:cluster');
const http = require('node:http');
const client = require('prom-client');

const WORKERS = Number(process.env.WORKERS ?? 2);
const PORT = Number(process.env.PORT ?? 0);
const METRICS_PORT = Number(process.env.METRICS_PORT ?? 0);

// In the primary it gathers; in a worker it answers the primary's requests.
const aggregator = new client.AggregatorRegistry();

if (cluster.isPrimary) {
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  let listening = 0;
  cluster.on('listening', (worker, address) => {
    console.log(`worker ${worker.id} listening on ${address.port}`);
    if (++listening === WORKERS) {
      const metrics = http.createServer(async (req, res) => {
        try {
          const body = await aggregator.clusterMetrics();
          res.setHeader('content-type', aggregator.contentType);
          res.end(body);
        } catch (error) {
          res.statusCode = 500;
          res.end(String(error));
        }
      });
      metrics.listen(METRICS_PORT, '127.0.0.1', () => console.log(`metrics on ${metrics.address().port}`));
    }
  });
} else {
  const requests = new client.Counter({ name: 'app_requests_total', help: 'Requests served', labelNames: ['worker'] });
  http
    .createServer((req, res) => {
      requests.inc({ worker: String(cluster.worker.id) });
      res.end(`served by worker ${cluster.worker.id}\n`);
    })
    .listen(PORT, '127.0.0.1');
}
