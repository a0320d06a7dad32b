import { describe, expect, it } from 'vitest';
import { availableCpus } from './cpu-quota.ts';
import { parseMemorySize } from './memory-size.ts';
import { DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_READY_TIMEOUT_MS, resolveOptions } from './options.ts';

const codeOf = (options: unknown) => {
  try {
    resolveOptions(options);
  } catch (error) {
    return { code: (error as { code?: string }).code, type: (error as Error).constructor.name };
  }
  return undefined;
};

describe('resolveOptions', () => {
  it('fills in every default; workers defaults to max', () => {
    const options = resolveOptions({});
    expect(options.workers).toBe(availableCpus());
    expect(options.readiness).toEqual({ on: 'listening', message: 'ready', timeout: DEFAULT_READY_TIMEOUT_MS });
    expect(options.drain.timeout).toBe(DEFAULT_DRAIN_TIMEOUT_MS);
    expect(options.heartbeat).toEqual({ interval: 1_000, maxMissed: 5 });
    expect(options.memoryLimit).toBe(0);
    expect(options.signals).toEqual([]);
    expect(options.metrics).toBe(false);
    expect(resolveOptions(undefined).workers).toBe(availableCpus());
  });

  it('takes a count, signals as true or a list, and an env object or function', () => {
    const options = resolveOptions({ workers: 3, signals: true, env: { A: '1' }, memoryLimit: '1.5G' });
    expect(options.workers).toBe(3);
    expect(options.signals).toEqual(['SIGTERM', 'SIGINT']);
    expect(options.env(0)).toEqual({ A: '1' });
    expect(options.memoryLimit).toBe(1.5 * 1024 ** 3);
    expect(resolveOptions({ env: (slot: number) => ({ S: String(slot) }) }).env(2)).toEqual({ S: '2' });
    expect(resolveOptions({ signals: ['SIGHUP', 'SIGHUP'] }).signals).toEqual(['SIGHUP']);
    expect(resolveOptions({ heartbeat: false }).heartbeat).toBe(false);
  });

  it.each([
    ['a non-object', 5, 'ERR_INVALID_ARG_TYPE'],
    ['workers of the wrong type', { workers: 'all' }, 'ERR_INVALID_ARG_TYPE'],
    ['a negative worker count', { workers: -1 }, 'ERR_OUT_OF_RANGE'],
    ['a fractional worker count', { workers: 1.5 }, 'ERR_OUT_OF_RANGE'],
    ['too many workers', { workers: 5_000 }, 'ERR_OUT_OF_RANGE'],
    ['a misspelled option', { worker: 4 }, 'ERR_INVALID_ARG_VALUE'],
    ['a misspelled nested option', { drain: { timout: 5 } }, 'ERR_INVALID_ARG_VALUE'],
    ['an unknown readiness', { readiness: { on: 'online' } }, 'ERR_INVALID_ARG_VALUE'],
    ['an empty ready message', { readiness: { message: '' } }, 'ERR_INVALID_ARG_TYPE'],
    ['a zero ready timeout', { readiness: { timeout: 0 } }, 'ERR_OUT_OF_RANGE'],
    ['a timeout past setTimeout', { drain: { timeout: 2 ** 31 } }, 'ERR_OUT_OF_RANGE'],
    ['a timeout as a string', { drain: { timeout: '5s' } }, 'ERR_INVALID_ARG_TYPE'],
    ['NaN', { restart: { initialDelay: Number.NaN } }, 'ERR_OUT_OF_RANGE'],
    ['a factor below 1', { restart: { factor: 0.5 } }, 'ERR_OUT_OF_RANGE'],
    ['maxDelay below initialDelay', { restart: { initialDelay: 500, maxDelay: 100 } }, 'ERR_OUT_OF_RANGE'],
    ['fractional maxRestarts', { restart: { maxRestarts: 2.5 } }, 'ERR_OUT_OF_RANGE'],
    ['heartbeat as true', { heartbeat: true }, 'ERR_INVALID_ARG_TYPE'],
    ['maxMissed of 0', { heartbeat: { maxMissed: 0 } }, 'ERR_OUT_OF_RANGE'],
    ['an unreadable memory limit', { memoryLimit: '12 parsecs' }, 'ERR_INVALID_ARG_VALUE'],
    ['a memory limit without heartbeats', { memoryLimit: '1G', heartbeat: false }, 'ERR_INVALID_ARG_VALUE'],
    ['env as a string', { env: 'A=1' }, 'ERR_INVALID_ARG_TYPE'],
    ['a signal that cannot be caught', { signals: ['SIGKILL'] }, 'ERR_INVALID_ARG_VALUE'],
    ['an unknown signal', { signals: ['SIGFOO'] }, 'ERR_INVALID_ARG_VALUE'],
  ])('rejects %s with %s', (_, options, code) => {
    expect(codeOf(options)?.code).toBe(code);
  });

  it('throws TypeError for types and values and RangeError for ranges, as Node does', () => {
    expect(codeOf({ workers: 'all' })?.type).toBe('TypeError');
    expect(codeOf({ worker: 1 })?.type).toBe('TypeError');
    expect(codeOf({ workers: -1 })?.type).toBe('RangeError');
  });
});

describe('parseMemorySize', () => {
  it('reads bytes and K/M/G sizes in powers of 1024', () => {
    expect(parseMemorySize(1_000)).toBe(1_000);
    expect(parseMemorySize('512M')).toBe(512 * 1024 ** 2);
    expect(parseMemorySize('512MB')).toBe(512 * 1024 ** 2);
    expect(parseMemorySize('300 KiB')).toBe(300 * 1024);
    expect(parseMemorySize('2g')).toBe(2 * 1024 ** 3);
    expect(parseMemorySize('1048576')).toBe(1_048_576);
  });

  it('refuses what is not a positive size', () => {
    for (const value of [0, -5, Number.POSITIVE_INFINITY, '', 'M', '5T', '-1M', '0']) {
      expect(parseMemorySize(value)).toBeUndefined();
    }
  });

  it('takes metrics as true or an object of interval, history and timeout, and rejects the rest by code', () => {
    expect(resolveOptions({ metrics: true }).metrics).toEqual({ interval: 1_000, history: 300, timeout: 1_000 });
    expect(resolveOptions({ metrics: { interval: 50, history: 10 } }).metrics).toEqual({
      interval: 50,
      history: 10,
      timeout: 1_000,
    });
    expect(codeOf({ metrics: 'yes' })).toEqual({ code: 'ERR_INVALID_ARG_TYPE', type: 'TypeError' });
    expect(codeOf({ metrics: { every: 1 } })).toEqual({ code: 'ERR_INVALID_ARG_VALUE', type: 'TypeError' });
    expect(codeOf({ metrics: { interval: 1 } })).toEqual({ code: 'ERR_OUT_OF_RANGE', type: 'RangeError' });
    expect(codeOf({ metrics: { history: 1.5 } })).toEqual({ code: 'ERR_OUT_OF_RANGE', type: 'RangeError' });
  });
});
