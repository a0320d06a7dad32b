import { guardUserSend } from '@cluster/ipc';
import { LIFECYCLE_ACTS, type WorkerLifecycleChannel } from './protocol.ts';
import { Worker, type WorkerRole } from './worker.ts';

/** Exit code of a worker that leaves on purpose, or whose primary went away. */
const EXIT_OK = 0;

export interface WorkerSideOptions {
  id: number;
  /** The channel to the primary, opened on `process` in the `'cluster'` namespace. */
  channel: WorkerLifecycleChannel;
  /** Closes every server shared through the primary; `done` runs once all have closed. */
  closeServers(done: () => void): void;
}

/** What a worker process runs before the user's code: `cluster.worker` and its lifecycle. */
export function startWorker(options: WorkerSideOptions) {
  const { channel } = options;
  channel.declare(LIFECYCLE_ACTS);
  guardUserSend(process);

  const leave = (primaryInitiated: boolean): void => {
    worker.exitedAfterDisconnect = true;
    options.closeServers(() => {
      // When the worker leaves on its own, wait until the primary knows it was on purpose.
      if (primaryInitiated) disconnectProcess();
      else channel.request('exitedAfterDisconnect', null).then(disconnectProcess, disconnectProcess);
    });
  };

  const role: WorkerRole = {
    disconnect(self) {
      if (self.state === 'disconnecting' || self.state === 'destroying') return;
      self.state = 'disconnecting';
      leave(false);
    },
    destroy(self, signal) {
      void signal; // Node's worker-side kill() ignores the signal and exits cleanly.
      if (self.state === 'destroying') return;
      self.exitedAfterDisconnect = true;
      if (!self.isConnected()) {
        process.exit(EXIT_OK);
      } else {
        self.state = 'destroying';
        channel.request('exitedAfterDisconnect', null).then(disconnectProcess, disconnectProcess);
        process.once('disconnect', () => process.exit(EXIT_OK));
      }
    },
  };

  const worker = new Worker({ id: options.id, process, state: 'online', role });

  const onDisconnect = (): void => {
    worker.emit('disconnect');
    // The page's guard against accidental disconnection: a worker cut off from its primary ends.
    if (!worker.exitedAfterDisconnect) process.exit(EXIT_OK);
  };
  process.once('disconnect', onDisconnect);
  // The channel may be closed already (a preload of the user's, run before ours, disconnected): Node's guard,
  // in place before any preload, ends the worker then, and so does ours rather than wait for an event gone by.
  if (!process.connected) {
    process.off('disconnect', onDisconnect);
    onDisconnect();
  }

  // As in Node, a disconnect the primary asks for leaves the worker's state as it is.
  channel.handle('disconnect', () => leave(true));
  channel.notify('online', null);
  return worker;
}

function disconnectProcess(): void {
  if (process.connected) process.disconnect();
}
