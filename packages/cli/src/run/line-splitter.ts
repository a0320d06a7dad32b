import { StringDecoder } from 'node:string_decoder';

/** A line longer than this is cut into pieces of this size, so that one endless line cannot fill the primary's memory. */
export const MAX_LINE_LENGTH = 64 * 1024;

/**
 * Turns a stream's chunks into whole lines: a line split over two chunks comes out once, whole; a
 * multi-byte character split over two chunks is kept together; `end()` gives the last line even without
 * its newline (a worker's last words before it died).
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  readonly #onLine: (line: string) => void;
  #partial = '';

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  write(chunk: Buffer | string): void {
    this.#take(typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
  }

  /** The stream ended: what is left is the last line. */
  end(): void {
    this.#take(this.#decoder.end());
    if (this.#partial !== '') this.#emit(this.#partial);
    this.#partial = '';
  }

  #take(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const line = this.#partial + text.slice(start, newline);
      this.#partial = '';
      this.#emit(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = newline + 1;
    }
    this.#partial += text.slice(start);
    while (this.#partial.length >= MAX_LINE_LENGTH) {
      this.#onLine(this.#partial.slice(0, MAX_LINE_LENGTH));
      this.#partial = this.#partial.slice(MAX_LINE_LENGTH);
    }
  }

  #emit(line: string): void {
    if (line.length <= MAX_LINE_LENGTH) {
      this.#onLine(line);
      return;
    }
    for (let at = 0; at < line.length; at += MAX_LINE_LENGTH) this.#onLine(line.slice(at, at + MAX_LINE_LENGTH));
  }
}
