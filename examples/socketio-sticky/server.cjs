// socket.io behind @socket.io/sticky, written for node:cluster and run unchanged on ours:
// `node --require @cluster/core/register server.cjs`. The primary accepts every connection and
// passes it to the worker that owns the client's session, so long-polling requests stay on one worker.
const cluster = require('node:cluster');
const http = require('node:http');
const { setupMaster, setupWorker } = require('@socket.io/sticky');
const { Server } = require('socket.io');

const WORKERS = Number(process.env.WORKERS ?? 2);
const PORT = Number(process.env.PORT ?? 0);

if (cluster.isPrimary) {
  const httpServer = http.createServer();
  setupMaster(httpServer, { loadBalancingMethod: 'least-connection' });
  // The first chunk of each request travels with the socket as a Buffer.
  cluster.setupPrimary({ serialization: 'advanced' });
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  // 'online' comes before a worker's code has run (in Node too), and a connection passed to a worker
  // before its sticky listener exists would be lost: wait until every worker says it is ready.
  let ready = 0;
  cluster.on('message', (worker, message) => {
    if (message === 'ready' && ++ready === WORKERS) {
      httpServer.listen(PORT, '127.0.0.1', () => console.log(`primary listening on ${httpServer.address().port}`));
    }
  });
} else {
  const httpServer = http.createServer();
  const io = new Server(httpServer);
  setupWorker(io);
  io.on('connection', (socket) => {
    socket.on('whoami', (ack) => ack({ worker: cluster.worker.id, transport: socket.conn.transport.name }));
  });
  process.send('ready');
}
