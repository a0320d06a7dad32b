import { describe, expect, it } from 'vitest';
import { takeWorkerId, WORKER_ID_ENV } from './env.ts';

describe('takeWorkerId', () => {
  it('reads the id and removes the variable, so that children of the worker start as primaries', () => {
    const env: NodeJS.ProcessEnv = { [WORKER_ID_ENV]: '7', OTHER: 'x' };
    expect(takeWorkerId(env)).toBe(7);
    expect(env).toEqual({ OTHER: 'x' });
  });

  it('returns undefined in a primary', () => {
    expect(takeWorkerId({})).toBeUndefined();
  });

  it('ignores a value that is not a positive integer, and still removes it', () => {
    for (const value of ['', 'abc', '0', '-1', '1.5']) {
      const env: NodeJS.ProcessEnv = { [WORKER_ID_ENV]: value };
      expect(takeWorkerId(env)).toBeUndefined();
      expect(env).toEqual({});
    }
  });
});
