import type { Supervisor } from '@cluster/supervisor';
import { formatDuration } from '../duration.ts';
import type { Reporter } from './reporter.ts';

/** How a worker ended, for people: `code 1`, `SIGKILL`. */
export function howItEnded(code: number | null, signal: string | null): string {
  return signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
}

/**
 * Says what the supervisor does, as it does it: crashes and restarts, give-ups, hangs, memory
 * replacements, and each reload slot by slot. Start-up and shutdown are the instance's to tell.
 */
export function logLifecycle(supervisor: Supervisor, reporter: Reporter): void {
  let reloadStarted = 0;
  supervisor.on('exit', ({ slot, worker, code, signal, expected }) => {
    if (expected || supervisor.stopping) return;
    const pid = worker.process.pid;
    reporter.say('exit', `slot ${slot.id}: worker ${pid} ${howItEnded(code, signal)}`, 'warn', {
      slot: slot.id,
      workerPid: pid,
      code,
      signal,
    });
  });
  supervisor.on('restart', ({ slot, delay, failures }) => {
    const tally = failures > 1 ? ` (${failures} failures in a row)` : '';
    reporter.say('restart', `slot ${slot.id}: restarting in ${formatDuration(delay)}${tally}`, 'info', {
      slot: slot.id,
      delay,
      failures,
    });
  });
  supervisor.on('giveUp', ({ slot, error }) => {
    const cause = (error.cause as Error | undefined)?.message;
    reporter.say(
      'giveUp',
      `slot ${slot.id} gave up after ${slot.restarts} restarts${cause ? `: ${cause}` : ''}`,
      'error',
      {
        slot: slot.id,
        code: error.code,
      },
    );
  });
  supervisor.on('unresponsive', ({ slot, worker, silentFor }) => {
    reporter.say(
      'unresponsive',
      `slot ${slot.id}: worker ${worker.process.pid} missed its heartbeats for ${formatDuration(silentFor)}; replacing it`,
      'warn',
      { slot: slot.id, silentFor },
    );
  });
  supervisor.on('memoryLimit', ({ slot, worker, rss, limit }) => {
    const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
    reporter.say(
      'memoryLimit',
      `slot ${slot.id}: worker ${worker.process.pid} uses ${mib(rss)}, over the limit of ${mib(limit)}; replacing it`,
      'warn',
      { slot: slot.id, rss, limit },
    );
  });
  supervisor.on('replaceFailed', ({ slot, error }) => {
    reporter.say(
      'replaceFailed',
      `slot ${slot.id}: its replacement failed (${error.message}); the old worker keeps serving`,
      'warn',
    );
  });
  supervisor.on('reloadStart', ({ total }) => {
    reloadStarted = performance.now();
    reporter.say('reloadStart', `reloading ${total} worker${total === 1 ? '' : 's'}, one slot at a time`, 'info', {
      total,
    });
  });
  supervisor.on('reloadProgress', ({ slot, worker, done, total }) => {
    reporter.say(
      'reloadProgress',
      `reload ${done}/${total}: slot ${slot.id} is now worker ${worker.process.pid}`,
      'info',
      {
        slot: slot.id,
        workerPid: worker.process.pid,
        done,
        total,
      },
    );
  });
  supervisor.on('reloadEnd', ({ replaced, error }) => {
    const took = formatDuration(performance.now() - reloadStarted);
    if (error === undefined) {
      reporter.say('reloadEnd', `reloaded ${replaced} worker${replaced === 1 ? '' : 's'} in ${took}`, 'info', {
        replaced,
      });
      return;
    }
    const cause = error.cause as (Error & { code?: string }) | undefined;
    reporter.say(
      'reloadEnd',
      `reload stopped at slot ${error.slot}: ${cause?.message ?? error.message}; the slots not replaced keep their old workers`,
      'error',
      { replaced, code: error.code, cause: cause?.code },
    );
  });
}
