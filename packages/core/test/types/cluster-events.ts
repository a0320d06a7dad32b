// The page's examples of the cluster object's events, setupPrimary() and the named exports.
import cluster, { fork, isPrimary, setupPrimary, type Worker } from '@cluster/core';

cluster.on('disconnect', (worker) => {
  console.log(`The worker #${worker.id} has disconnected`);
});

cluster.on('exit', (worker, code, signal) => {
  console.log('worker %d died (%s). restarting...', worker.process.pid, signal || code);
  cluster.fork();
});

const timeouts: NodeJS.Timeout[] = [];
function errorMsg() {
  console.error('Something must be wrong with the connection ...');
}
cluster.on('fork', (worker) => {
  timeouts[worker.id] = setTimeout(errorMsg, 2000);
});
cluster.on('listening', (worker, address) => {
  clearTimeout(timeouts[worker.id]);
});
cluster.on('exit', (worker, code, signal) => {
  clearTimeout(timeouts[worker.id]);
  errorMsg();
});

cluster.on('listening', (worker, address) => {
  console.log(`A worker is now connected to ${address.address}:${address.port}`);
});

cluster.on('online', (worker) => {
  console.log('Yay, the worker responded after it was forked');
});

cluster.setupPrimary({
  exec: 'worker.js',
  args: ['--use', 'https'],
  silent: true,
});
cluster.fork(); // https worker
cluster.setupPrimary({
  exec: 'worker.js',
  args: ['--use', 'http'],
});
cluster.fork(); // http worker

if (isPrimary) {
  setupPrimary({ serialization: 'advanced' });
  const worker: Worker = fork({ ROLE: 'web' });
  worker.send({ hello: 'world' }, (error) => void error);
}
