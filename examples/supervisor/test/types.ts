// Compiled, never run (`pnpm typecheck`): supervise() takes node:cluster and @cluster/core alike, and its
// events, slots and errors are typed with each one's own Worker.
import nodeCluster from 'node:cluster';
import ours from '@cluster/core';
import { type Slot, type SupervisorError, supervise } from '@cluster/supervisor';

const overNode = supervise(nodeCluster, { workers: 2, readiness: { on: 'message', timeout: 5_000 } });
overNode.on('exit', ({ slot, worker, code, signal, expected }) => {
  const id: number = slot.id;
  const pid: number | undefined = worker.process.pid;
  const how: number | null | NodeJS.Signals = signal ?? code;
  const planned: boolean = expected;
  void [id, pid, how, planned];
});
overNode.on('reloadEnd', ({ error }) => {
  const code: string | undefined = error?.code;
  const slot: number | undefined = error?.slot;
  void [code, slot];
});
const first: Slot<import('node:cluster').Worker> | undefined = overNode.workers[0];
void first?.worker?.isDead();

const overOurs = supervise(ours, { workers: 'max', memoryLimit: '512M', signals: ['SIGTERM'] });
overOurs.on('ready', ({ worker, startedIn }) => {
  const id: number = worker.id;
  const ms: number = startedIn;
  void [id, ms];
});
overOurs.reload().catch((error: SupervisorError) => error.cause);
overOurs.scale(4).then(() => overOurs.shutdown({ timeout: 1_000 })).then(({ workers, forced }) => workers - forced);

// @ts-expect-error: the event has no `pid` field
overOurs.on('fork', ({ pid }) => pid);
// @ts-expect-error: an unknown option
supervise(ours, { worker: 4 });
// @ts-expect-error: workers is a number or 'max'
supervise(ours, { workers: 'all' });
