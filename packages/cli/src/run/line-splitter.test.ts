import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_LENGTH } from './line-splitter.ts';

const split = (chunks: (string | Buffer)[], end = true) => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.write(chunk);
  if (end) splitter.end();
  return lines;
};

describe('LineSplitter', () => {
  it('gives a line split over chunks once, whole', () => {
    expect(split(['hel', 'lo\nwor', 'ld\n'])).toEqual(['hello', 'world']);
  });

  it('gives the last line without its newline at the end (the last words of a worker that died)', () => {
    expect(split(['a\nlast words'], false)).toEqual(['a']);
    expect(split(['a\nlast words'])).toEqual(['a', 'last words']);
  });

  it('keeps a multi-byte character split over two chunks, and drops the \\r of \\r\\n', () => {
    const bytes = Buffer.from('é\r\n');
    expect(split([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual(['é']);
  });

  it('cuts an endless line into pieces instead of holding it all', () => {
    const lines = split(['x'.repeat(MAX_LINE_LENGTH * 2 + 5)], false);
    expect(lines.map((line) => line.length)).toEqual([MAX_LINE_LENGTH, MAX_LINE_LENGTH]);
  });
});
