// A supervised HTTP server: one worker per CPU behind one port, respawned if it dies, replaced slot by slot
// on SIGHUP (new code on disk included), drained on SIGTERM/SIGINT (a second one forces). It runs on
// @cluster/core, or on node:cluster with CLUSTER=node: the supervisor takes either.
import { supervise } from '@cluster/supervisor';

const cluster =
  process.env.CLUSTER === 'node' ? (await import('node:cluster')).default : (await import('@cluster/core')).default;
const port = process.env.PORT ?? '8000';

cluster.setupPrimary({ exec: new URL('./server.cjs', import.meta.url).pathname });
const supervisor = supervise(cluster, {
  workers: process.env.WORKERS ? Number(process.env.WORKERS) : 'max',
  signals: true,
  memoryLimit: '256M',
  env: { PORT: port },
});

supervisor.on('exit', ({ slot, worker, code, signal, expected }) => {
  if (!expected) console.log(`slot ${slot.id}: worker ${worker.process.pid} died (${signal ?? `code ${code}`})`);
});
supervisor.on('restart', ({ slot, delay }) => console.log(`slot ${slot.id}: restarting in ${delay} ms`));
supervisor.on('giveUp', ({ slot, error }) => console.log(`slot ${slot.id}: ${error.message}`));
supervisor.on('reloadProgress', ({ slot, done, total }) => console.log(`reload: slot ${slot.id} replaced (${done}/${total})`));
supervisor.on('shutdown', ({ signal }) => console.log(`${signal}: draining ${supervisor.workers.length} workers`));

let address;
cluster.on('listening', (_worker, listening) => {
  address ??= listening;
});

await supervisor.ready;
console.log(
  `${supervisor.workers.length} workers ready: curl http://localhost:${address.port}/ (SIGHUP reloads, Ctrl-C stops)`,
);

process.on('SIGHUP', () => {
  supervisor.reload().then(
    ({ replaced }) => console.log(`reloaded ${replaced} workers`),
    (error) => console.log(`reload stopped at slot ${error.slot}: ${error.cause?.message ?? error.message}`),
  );
});
