// A fragment of the API page, between the marked lines; the lines around it (not on the page) make it runnable.
const cluster = require('@cluster/core');

// ---- from the API page ----
if (cluster.isPrimary) {
  const worker = cluster.fork();
  let timeout;
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
  const net = require('node:net');
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
// ---- end of the page's code ----
