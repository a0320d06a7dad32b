import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it('reads milliseconds and the units ms, s, m, h', () => {
    expect(parseDuration(250)).toBe(250);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('1h')).toBe(3_600_000);
  });

  it('refuses what is not a duration, or past setTimeout', () => {
    for (const bad of ['', 'soon', '-1', '5 days', '3d', -5, Number.NaN, null, '1000h']) {
      expect(parseDuration(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('formatDuration', () => {
  it('says it for people', () => {
    expect(formatDuration(312)).toBe('312 ms');
    expect(formatDuration(1_234)).toBe('1.2 s');
    expect(formatDuration(65_000)).toBe('1m 5s');
    expect(formatDuration(2 * 3_600_000 + 60_000)).toBe('2h 1m');
  });
});
