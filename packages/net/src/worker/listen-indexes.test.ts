import { describe, expect, it } from 'vitest';
import { ListenIndexes } from './listen-indexes.ts';

describe('ListenIndexes', () => {
  it('numbers listens on one address 0, 1, 2 and other addresses from 0 again', () => {
    const indexes = new ListenIndexes();
    expect([indexes.take('a'), indexes.take('a'), indexes.take('a')]).toEqual([0, 1, 2]);
    expect(indexes.take('b')).toBe(0);
  });

  it('keeps counting while any listen on the address is live, and starts over once none is', () => {
    const indexes = new ListenIndexes();
    const first = indexes.take('a');
    const second = indexes.take('a');
    indexes.release('a', first);
    // The n-th live server must not collide with a later one: numbering goes on.
    expect(indexes.take('a')).toBe(2);
    indexes.release('a', second);
    indexes.release('a', 2);
    expect(indexes.take('a')).toBe(0);
  });

  it('ignores releases of addresses it never numbered', () => {
    const indexes = new ListenIndexes();
    expect(() => indexes.release('nowhere', 3)).not.toThrow();
    expect(indexes.take('nowhere')).toBe(0);
  });
});
