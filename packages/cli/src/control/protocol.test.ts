import { describe, expect, it } from 'vitest';
import { BadRequest, parseRequest } from './protocol.ts';

describe('parseRequest', () => {
  it('takes the four commands, and scale with a count, max or a change', () => {
    expect(parseRequest('{"v":1,"id":1,"cmd":"status"}')).toEqual({ v: 1, id: 1, cmd: 'status' });
    for (const workers of [0, 4, 'max', '+1', '-2']) {
      expect(parseRequest(JSON.stringify({ v: 1, id: 2, cmd: 'scale', workers })).cmd).toBe('scale');
    }
  });

  it.each([
    ['not JSON', 'status'],
    ['not an object', '[1]'],
    ['another version', '{"v":2,"id":1,"cmd":"status"}'],
    ['no id', '{"v":1,"cmd":"status"}'],
    ['an unknown command', '{"v":1,"id":1,"cmd":"exec"}'],
    ['an extra field', '{"v":1,"id":1,"cmd":"stop","force":true}'],
    ['scale without workers', '{"v":1,"id":1,"cmd":"scale"}'],
    ['scale to too many', '{"v":1,"id":1,"cmd":"scale","workers":5000}'],
    ['scale to a word', '{"v":1,"id":1,"cmd":"scale","workers":"lots"}'],
  ])('refuses %s', (_what, line) => {
    expect(() => parseRequest(line)).toThrow(BadRequest);
  });
});
