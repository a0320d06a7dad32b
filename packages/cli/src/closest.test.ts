import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './closest.ts';

describe('closest', () => {
  it('finds what a typo meant: a swap, a missing letter, a wrong one', () => {
    const flags = ['--workers', '--watch', '--name', '--status', '--drain-timeout'];
    expect(closest('--wrokers', flags)).toBe('--workers');
    expect(closest('--worker', flags)).toBe('--workers');
    expect(closest('--drain-timout', flags)).toBe('--drain-timeout');
    expect(closest('--stauts', flags)).toBe('--status');
  });

  it('offers nothing for a word that is nothing like any', () => {
    expect(closest('--port', ['--workers', '--name'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
