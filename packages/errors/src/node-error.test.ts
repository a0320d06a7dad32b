import { describe, expect, it } from 'vitest';
import { createError, invalidArgType, invalidArgValue, outOfRange } from './node-error.ts';
import { createSystemError } from './system-error.ts';

describe('node-style errors', () => {
  it('builds built-in error instances carrying a code', () => {
    const error = createError(RangeError, 'ERR_CLUSTER_TEST', 'boom');
    expect(error).toBeInstanceOf(RangeError);
    expect(error.code).toBe('ERR_CLUSTER_TEST');
    expect(error.stack).toMatch(/^RangeError \[ERR_CLUSTER_TEST\]: boom/);
  });

  it('words ERR_INVALID_ARG_TYPE the way Node does', () => {
    const error = invalidArgType('options.exec', 'of type string', 42);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe('ERR_INVALID_ARG_TYPE');
    expect(error.message).toBe('The "options.exec" property must be of type string. Received type number (42)');
  });

  it('words ERR_INVALID_ARG_VALUE and ERR_OUT_OF_RANGE', () => {
    expect(invalidArgValue('options.serialization', 'xml').code).toBe('ERR_INVALID_ARG_VALUE');
    const range = outOfRange('port', '>= 0 and < 65536', 70000);
    expect(range).toBeInstanceOf(RangeError);
    expect(range.code).toBe('ERR_OUT_OF_RANGE');
  });

  it('names system errors by errno like UVExceptionWithHostPort', () => {
    const error = createSystemError(-98, 'bind', '127.0.0.1', 8000);
    expect(error.code).toBe('EADDRINUSE');
    expect(error.errno).toBe(-98);
    expect(error.message).toBe('bind EADDRINUSE 127.0.0.1:8000');
    expect(error.port).toBe(8000);
  });
});
