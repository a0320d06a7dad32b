// What the types say beyond the page's examples: each line marked @ts-expect-error must not compile.
import cluster, { type Address, type Settings, type Worker } from '@cluster/core';

cluster.on('exit', (worker, code, signal) => {
  worker satisfies Worker;
  code satisfies number | null;
  signal satisfies NodeJS.Signals | null;
  // @ts-expect-error: a worker killed by a signal has no exit code.
  code satisfies number;
});
cluster.on('listening', (worker, address) => {
  address satisfies Address;
  address.addressType satisfies 4 | 6 | -1 | 'udp4' | 'udp6';
  address.port satisfies number;
});
cluster.on('setup', (settings) => {
  settings satisfies Settings;
  settings.exec satisfies string | undefined;
});
cluster.on('message', (worker, message, handle) => {
  worker.id satisfies number;
  // @ts-expect-error: the handle may be absent.
  handle.ref();
});
// @ts-expect-error: `fork` gives a worker, not the cluster.
cluster.on('fork', (worker) => worker.isPrimary);
// @ts-expect-error: 'online' carries the worker only.
cluster.on('online', (worker: Worker, extra: string) => extra);

const worker = cluster.fork();
worker.on('exit', (code, signal) => {
  code satisfies number | null;
  signal satisfies NodeJS.Signals | null;
});
worker.on('listening', (address) => address.port satisfies number);
worker.on('message', (message, handle) => handle?.ref());
// @ts-expect-error: a worker's 'exit' has no worker argument.
worker.on('exit', (w: Worker, code: number) => code);
// Events of one's own still go through EventEmitter's open signature.
worker.on('custom', (...args: unknown[]) => args);
worker.id satisfies number;
worker.exitedAfterDisconnect satisfies boolean | undefined;
worker.isDead() satisfies boolean;
cluster.workers?.['1'] satisfies Worker | undefined;
cluster.schedulingPolicy = cluster.SCHED_NONE;
// @ts-expect-error: the scheduling policy is SCHED_RR or SCHED_NONE.
cluster.schedulingPolicy = 3;
// @ts-expect-error: settings are checked.
cluster.setupPrimary({ silent: 'yes' });
cluster.setupPrimary({ policy: 'least-connections' });
// @ts-expect-error: a mistyped policy name does not compile (the built-in names are a union).
cluster.setupPrimary({ policy: 'least-connection' });
cluster.setupPrimary({ policy: { name: 'own', pick: (workers) => workers[0] } });

// Every member node:cluster's own types have, ours have too.
type NodeCluster = typeof import('node:cluster').default;
type NodeWorker = import('node:cluster').Worker;
type Exactly<TLeft, TRight> = [TLeft] extends [TRight] ? ([TRight] extends [TLeft] ? true : false) : false;
true satisfies Exactly<Exclude<keyof NodeCluster, keyof typeof cluster>, never>;
true satisfies Exactly<Exclude<keyof NodeWorker, keyof Worker>, never>;
// The workers table holds workers only (node:cluster's types say each may be undefined).
Object.values(cluster.workers ?? {}) satisfies Worker[];
