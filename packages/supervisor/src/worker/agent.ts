import { type Channel, createChannel } from '@cluster/ipc';
import {
  type DrainBody,
  type PrimarySupervisorApi,
  SUPERVISOR_NAMESPACE,
  type WorkerConfig,
  type WorkerSample,
  type WorkerSupervisorApi,
} from '../protocol.ts';
import type { WorkerPart } from './part.ts';

/**
 * The supervisor's side in a worker: says hello, beats from the worker's own event loop (a busy loop or
 * a deadlock stops the beats, which is the point), and answers the primary's acts through its parts.
 */
export class WorkerAgent {
  readonly #config: WorkerConfig;
  readonly #parts: readonly WorkerPart[];
  readonly #channel: Channel<WorkerSupervisorApi, PrimarySupervisorApi>;
  #timer: NodeJS.Timeout | undefined;

  constructor(config: WorkerConfig, parts: readonly WorkerPart[]) {
    this.#config = config;
    this.#parts = parts;
    this.#channel = createChannel<WorkerSupervisorApi, PrimarySupervisorApi>(process, {
      namespace: SUPERVISOR_NAMESPACE,
    });
  }

  start(): void {
    const channel = this.#channel as unknown as Channel;
    for (const part of this.#parts) {
      part.start?.();
      for (const [act, handler] of Object.entries(part.acts ?? {})) channel.handle(act, handler);
    }
    this.#channel.handle('drain', (body) => this.#drain(body));
    this.#channel.notify('hello', { pid: process.pid, parts: this.#parts.map((part) => part.name) });
    if (this.#config.beat > 0) {
      this.#beat();
      this.#timer = setInterval(() => this.#beat(), this.#config.beat);
      // Beats never keep a worker alive.
      this.#timer.unref();
    }
  }

  #beat(): void {
    if (!this.#channel.isOpen) {
      clearInterval(this.#timer);
      return;
    }
    const sample: WorkerSample = { rss: 0 };
    for (const part of this.#parts) part.sample?.(sample);
    this.#channel.notify('beat', sample);
  }

  async #drain(body: DrainBody): Promise<null> {
    await Promise.allSettled(this.#parts.map((part) => part.drain?.(body)));
    return null;
  }
}
