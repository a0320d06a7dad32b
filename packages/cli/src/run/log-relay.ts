import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { LineSplitter } from './line-splitter.ts';
import type { LogFormat } from './log-line.ts';

/** Where the relay writes: the primary's own stdout and stderr. */
export interface LogOutputs {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/**
 * Re-emits what every worker prints, line by line, each line whole and prefixed (never two workers'
 * halves on one line), each stream to the primary's stream of the same name. When the primary's stream is
 * full (a slow terminal, a pipe nobody reads), the workers' streams are paused until it drains: what
 * waits stays in the pipes and in the workers, and the primary's memory does not grow with it.
 */
export class LogRelay {
  readonly #outputs: LogOutputs;
  readonly #format: LogFormat;
  /** The sources paused while an output drains, by output. */
  readonly #paused = new Map<Writable, Set<Readable>>();
  readonly #open = new Set<Promise<void>>();

  /** Outputs that failed (a closed pipe: `cluster run app | head`): nothing more is written to them. */
  readonly #broken = new Set<Writable>();

  constructor(outputs: LogOutputs, format: LogFormat) {
    this.#outputs = outputs;
    this.#format = format;
    for (const output of [outputs.stdout, outputs.stderr]) {
      // A reader that went away is no reason for the primary, and every worker with it, to crash.
      output.on('error', () => {
        this.#broken.add(output);
        for (const stream of this.#paused.get(output) ?? []) stream.resume();
        this.#paused.delete(output);
      });
    }
  }

  /** Relays a worker's stdout and stderr (either may be null: not piped). */
  attach(slot: number, pid: number, streams: { stdout: Readable | null; stderr: Readable | null }): void {
    for (const name of ['stdout', 'stderr'] as const) {
      const source = streams[name];
      if (source === null) continue;
      const output = this.#outputs[name];
      const splitter = new LineSplitter((text) => {
        if (this.#broken.has(output)) return;
        const fits = output.write(this.#format({ time: Date.now(), slot, pid, stream: name, text }));
        if (!fits) this.#pause(output, source);
      });
      source.on('data', (chunk: Buffer) => splitter.write(chunk));
      const ended = new Promise<void>((resolve) => {
        // 'end' after the last chunk: the partial last line goes out then. 'close' covers a destroyed pipe.
        const finish = () => {
          splitter.end();
          resolve();
        };
        source.once('end', finish);
        source.once('error', finish);
      });
      this.#open.add(ended);
      ended.then(() => this.#open.delete(ended));
    }
  }

  /**
   * Resolves once every worker's output has been read to its end and written (or after `timeout` ms, for a
   * worker's grandchild that keeps the pipe open), then once the outputs have taken all of it.
   */
  async finished(timeout: number): Promise<void> {
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeout).unref());
    await Promise.race([Promise.all(this.#open), deadline]);
    for (const output of [this.#outputs.stdout, this.#outputs.stderr]) {
      if (output.writableLength > 0 && !this.#broken.has(output)) {
        await Promise.race([once(output, 'drain').catch(() => {}), deadline]);
      }
    }
  }

  #pause(output: Writable, source: Readable): void {
    let paused = this.#paused.get(output);
    if (paused === undefined) {
      paused = new Set();
      this.#paused.set(output, paused);
      output.once('drain', () => {
        const waiting = this.#paused.get(output);
        this.#paused.delete(output);
        for (const stream of waiting ?? []) stream.resume();
      });
    }
    paused.add(source);
    source.pause();
  }
}
