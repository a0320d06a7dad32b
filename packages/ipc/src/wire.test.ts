import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NAMESPACE,
  decodeError,
  decodeFrame,
  encodeError,
  FRAME_CMD,
  isFrameLike,
  isInternalLike,
  MALFORMED_ERROR,
  namespaceOf,
} from './wire.ts';

const cmd = FRAME_CMD;

describe('decodeFrame', () => {
  it('returns well-formed frames as they are, without copying', () => {
    const frames = [
      { cmd, k: 'note', ns: 'a', act: 'x', body: 1 },
      { cmd, k: 'note', ns: 'a', act: 'x' },
      { cmd, k: 'req', ns: 'a', act: 'x', seq: 1, body: null },
      { cmd, k: 'req', ns: '', act: '', seq: -3 },
      { cmd, k: 'res', ns: 'a', seq: 1, body: [1] },
      {
        cmd,
        k: 'res',
        ns: 'a',
        seq: 2,
        err: { name: 'TypeError', message: 'm', code: 'E', errno: -2, syscall: 'open' },
      },
      { cmd, k: 'user', body: undefined },
      { cmd, k: 'user', body: { cmd } },
    ];
    for (const frame of frames) expect(decodeFrame(frame)).toBe(frame);
  });

  it('returns undefined for what is not ours', () => {
    for (const value of [undefined, null, 1, 'NODE_CLUSTER_IPC', [], {}, { cmd: 'NODE_HANDLE' }, { cmd: 5 }]) {
      expect(decodeFrame(value)).toBeUndefined();
    }
  });

  it('returns undefined for unknown kinds and missing or mistyped fields', () => {
    const bad = [
      { cmd },
      { cmd, k: 'other' },
      { cmd, k: 1 },
      { cmd, k: 'note', ns: 'a' },
      { cmd, k: 'note', ns: 1, act: 'x' },
      { cmd, k: 'req', ns: 'a', act: 'x' },
      { cmd, k: 'req', ns: 'a', act: 'x', seq: 1.5 },
      { cmd, k: 'req', ns: 'a', act: 'x', seq: '1' },
      { cmd, k: 'req', ns: 'a', act: 'x', seq: Number.NaN },
      { cmd, k: 'req', ns: 'a', act: 'x', seq: 2 ** 60 },
      { cmd, k: 'req', ns: 'a', act: 'x', seq: 1n },
      { cmd, k: 'req', ns: 'a', act: null, seq: 1 },
      { cmd, k: 'res', ns: 'a' },
      { cmd, k: 'user' },
    ];
    for (const frame of bad) expect(decodeFrame(frame)).toBeUndefined();
  });

  it('reads a frame without `ns` as one of the default namespace', () => {
    for (const frame of [
      { cmd, k: 'note', act: 'x' },
      { cmd, k: 'req', act: 'x', seq: 1 },
      { cmd, k: 'res', seq: 1 },
    ]) {
      const decoded = decodeFrame(frame);
      expect(decoded).toBe(frame);
      expect(decoded !== undefined && decoded.k !== 'user' && namespaceOf(decoded)).toBe(DEFAULT_NAMESPACE);
    }
  });

  it('is not fooled by an own `__proto__` key, as JSON.parse and the v8 deserializer make them', () => {
    const frame = JSON.parse(`{"cmd":"${cmd}","__proto__":{"k":"req","ns":"a","act":"x","seq":1}}`);
    expect(decodeFrame(frame)).toBeUndefined();
    expect(({} as { k?: unknown }).k).toBeUndefined();
  });

  it('keeps a reply with a malformed error, so that its request still ends', () => {
    for (const err of [
      'boom',
      { name: 1, message: 'm' },
      { name: 'E', message: 1 },
      { name: 'E', message: 'm', code: 1 },
    ]) {
      expect(decodeFrame({ cmd, k: 'res', ns: 'a', seq: 7, err })).toEqual({
        cmd,
        k: 'res',
        ns: 'a',
        seq: 7,
        err: MALFORMED_ERROR,
      });
    }
  });
});

describe('isFrameLike and isInternalLike', () => {
  it('tells our frames from other NODE_ traffic', () => {
    expect(isFrameLike({ cmd })).toBe(true);
    expect(isFrameLike({ cmd: 'NODE_HANDLE' })).toBe(false);
    expect(isInternalLike({ cmd })).toBe(true);
    expect(isInternalLike({ cmd: 'NODE_HANDLE_ACK' })).toBe(true);
  });

  it('matches child_process: a cmd string longer than the NODE_ prefix', () => {
    expect(isInternalLike({ cmd: 'NODE_' })).toBe(false);
    expect(isInternalLike({ cmd: 'node_x' })).toBe(false);
    expect(isInternalLike({ cmd: ['NODE_X'] })).toBe(false);
    expect(isInternalLike('NODE_X')).toBe(false);
    expect(isInternalLike(null)).toBe(false);
  });
});

describe('encodeError and decodeError', () => {
  it('round-trips built-in classes with their code', () => {
    for (const ErrorClass of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]) {
      const original = Object.assign(new ErrorClass('msg'), { code: 'ERR_X' });
      const wire = encodeError(original);
      expect(JSON.parse(JSON.stringify(wire))).toEqual(wire);
      const decoded = decodeError(wire) as Error & { code?: string };
      expect(decoded).toBeInstanceOf(ErrorClass);
      expect(decoded.constructor).toBe(ErrorClass);
      expect(decoded.message).toBe('msg');
      expect(decoded.code).toBe('ERR_X');
    }
  });

  it('carries errno and syscall of system errors', () => {
    const original = Object.assign(new Error('open ENOENT'), { code: 'ENOENT', errno: -2, syscall: 'open' });
    expect(encodeError(original)).toEqual({
      name: 'Error',
      message: 'open ENOENT',
      code: 'ENOENT',
      errno: -2,
      syscall: 'open',
    });
    expect(decodeError(encodeError(original))).toMatchObject({ code: 'ENOENT', errno: -2, syscall: 'open' });
  });

  it('keeps the name of a class it cannot rebuild, as a plain Error', () => {
    class CustomError extends Error {
      override name = 'CustomError';
    }
    const decoded = decodeError(encodeError(new CustomError('c')));
    expect(decoded.constructor).toBe(Error);
    expect(decoded.name).toBe('CustomError');
  });

  it('never looks names up on the prototype chain', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const decoded = decodeError({ name, message: 'm' });
      expect(Object.getPrototypeOf(decoded)).toBe(Error.prototype);
      expect(decoded.name).toBe(name);
    }
  });

  it('describes thrown non-errors and errors it cannot read', () => {
    expect(encodeError('text')).toEqual({ name: 'Error', message: 'text' });
    expect(encodeError(42)).toEqual({ name: 'Error', message: '42' });
    expect(encodeError(Object.create(null))).toMatchObject({ name: 'Error' });
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no');
      },
    });
    expect(encodeError(hostile)).toMatchObject({ name: 'Error' });
    expect(encodeError({ code: 'E' })).toEqual({ name: 'Error', message: '[object Object]' });
  });

  it('drops a code that is not a string', () => {
    expect(encodeError(Object.assign(new Error('m'), { code: 5 }))).toEqual({ name: 'Error', message: 'm' });
  });
});
