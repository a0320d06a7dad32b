import { describe, expect, it } from 'vitest';
import * as values from './option-values.ts';

const expected = (parse: (value: unknown) => unknown, value: unknown) => {
  try {
    parse(value);
  } catch (error) {
    return error instanceof values.Expected ? error.expected : 'not an Expected';
  }
  return undefined;
};

describe('option values', () => {
  it('reads worker counts as numbers or max, from flags and from JSON', () => {
    expect(values.workerCount('4')).toBe(4);
    expect(values.workerCount(4)).toBe(4);
    expect(values.workerCount('max')).toBe('max');
    expect(expected(values.workerCount, 'lots')).toMatch(/whole number.*'max'/);
    expect(expected(values.workerCount, 2.5)).toBeDefined();
    expect(expected(values.workerCount, '1025')).toBeDefined();
  });

  it('reads [host:]port with 127.0.0.1 unless a host is given', () => {
    expect(values.listenAddress('9090')).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(values.listenAddress(0)).toEqual({ host: '127.0.0.1', port: 0 });
    expect(values.listenAddress('0.0.0.0:9090')).toEqual({ host: '0.0.0.0', port: 9090 });
    expect(values.listenAddress('[::1]:9090')).toEqual({ host: '::1', port: 9090 });
    for (const bad of ['', 'x', '70000', 'host:', ':90', true])
      expect(expected(values.listenAddress, bad), String(bad)).toBeDefined();
  });

  it('reads durations, sizes, heartbeats and booleans', () => {
    expect(values.duration('5s')).toBe(5_000);
    expect(values.size('512M')).toBe(512 * 1024 * 1024);
    expect(values.heartbeat('off')).toBe(false);
    expect(values.heartbeat('200ms')).toBe(200);
    expect(values.boolean(true)).toBe(true);
    expect(values.boolean('false')).toBe(false);
    expect(expected(values.size, '12 parsecs')).toMatch(/size/);
  });

  it('reads Node flags from a string or a list, and env objects as strings', () => {
    expect(values.nodeArgs('--a  --b=1')).toEqual(['--a', '--b=1']);
    expect(values.nodeArgs(['--a'])).toEqual(['--a']);
    expect(values.environment({ A: 1, B: true, C: 'x' })).toEqual({ A: '1', B: 'true', C: 'x' });
    expect(expected(values.environment, { A: { nested: 1 } })).toBeDefined();
    expect(expected(values.environment, ['A=1'])).toBeDefined();
  });

  it('keeps instance names fit for a file name', () => {
    expect(values.instanceName('api-2.v1_x')).toBe('api-2.v1_x');
    for (const bad of ['', '../x', 'a/b', '.hidden', 'x'.repeat(65)])
      expect(expected(values.instanceName, bad), bad).toBeDefined();
  });
});
