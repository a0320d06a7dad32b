import type { Writable } from 'node:stream';
import type { Palette } from './colors.ts';

export type Level = 'info' | 'warn' | 'error';

/**
 * The CLI's own lines (workers coming up, ready, reloads, crashes, shutdown), on stderr so that stdout
 * holds only what the app printed: `[cluster] …`, coloured on a terminal, or with `--json-logs` one JSON
 * object per line with `stream: 'cluster'` and an `event` name.
 */
export class Reporter {
  readonly #out: Writable;
  readonly #json: boolean;
  readonly #palette: Palette;
  /** Details shown on a terminal only: each worker coming up. */
  readonly detailed: boolean;

  constructor(out: Writable, options: { json: boolean; palette: Palette; detailed: boolean }) {
    this.#out = out;
    this.#json = options.json;
    this.#palette = options.palette;
    this.detailed = options.detailed && !options.json;
    out.on('error', () => {});
  }

  get palette(): Palette {
    return this.#palette;
  }

  /** One line about the instance; `fields` go into the JSON form only. */
  say(event: string, text: string, level: Level = 'info', fields: Record<string, unknown> = {}): void {
    if (this.#out.destroyed) return;
    if (this.#json) {
      const record = {
        time: new Date().toISOString(),
        slot: null,
        pid: process.pid,
        stream: 'cluster',
        level,
        event,
        text,
      };
      this.#out.write(`${JSON.stringify({ ...record, ...fields })}\n`);
      return;
    }
    const p = this.#palette;
    const paint = level === 'error' ? p.red : level === 'warn' ? p.yellow : (line: string) => line;
    this.#out.write(`${p.bold(p.cyan('[cluster]'))} ${paint(text)}\n`);
  }

  /** A line shown on a terminal only, indented under the last one. */
  detail(text: string): void {
    if (this.detailed && !this.#out.destroyed) this.#out.write(`  ${this.#palette.dim(text)}\n`);
  }
}
