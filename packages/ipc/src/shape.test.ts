import { describe, expect, expectTypeOf, it } from 'vitest';
import { checkHandle, type Infer, shape } from './shape.ts';

const query = shape.object({
  address: shape.nullable(shape.string(16)),
  port: shape.integer(-1, 65535),
  kind: shape.oneOf(4, 6, 'udp4'),
  fd: shape.optional(shape.integer(0)),
  counts: shape.array(shape.tuple(shape.integer(1), shape.integer(0)), 3),
  data: shape.optional(shape.unknown),
});

const good = { address: '127.0.0.1', port: 80, kind: 4, counts: [[1, 0]] };

describe('shape', () => {
  it('passes a value that fits, with optional keys absent, undefined or set', () => {
    expect(query(good)).toBeUndefined();
    expect(query({ ...good, fd: undefined, data: undefined })).toBeUndefined();
    expect(query({ ...good, address: null, fd: 3, data: { anything: [1n] } })).toBeUndefined();
  });

  it('names the first place a value does not fit, with its path', () => {
    expect(query({ ...good, port: 'x' })).toBe('.port: expected an integer from -1 to 65535, got string "x"');
    expect(query({ ...good, port: 1.5 })).toMatch(/^\.port: expected an integer/);
    expect(query({ ...good, port: 70000 })).toMatch(/^\.port: /);
    expect(query({ ...good, port: Number.NaN })).toMatch(/^\.port: /);
    expect(query({ ...good, address: 'a'.repeat(17) })).toBe('.address: expected at most 16 characters, got 17');
    expect(query({ ...good, kind: 'udp6' })).toBe('.kind: expected one of 4, 6, "udp4", got string "udp6"');
    expect(
      query({
        ...good,
        counts: [
          [1, 0],
          [0, 1],
        ],
      }),
    ).toBe('.counts[1][0]: expected an integer from 1 to 9007199254740991, got number 0');
    expect(query({ ...good, counts: [[1]] })).toBe('.counts[0]: expected 2 items, got 1');
    expect(
      query({
        ...good,
        counts: [
          [1, 0],
          [1, 0],
          [1, 0],
          [1, 0],
        ],
      }),
    ).toBe('.counts: expected at most 3 items, got 4');
    const { port: _port, ...noPort } = good;
    expect(query(noPort)).toBe('.port: missing');
  });

  it('rejects what is not a plain object where one is expected', () => {
    for (const value of [null, undefined, 5, 'x', [good], true]) expect(query(value)).toMatch(/^: expected an object/);
  });

  it('rejects keys the shape does not name, own __proto__ keys included', () => {
    expect(query({ ...good, extra: 1 })).toBe(': unexpected key "extra"');
    expect(query(JSON.parse(`{"address":null,"port":1,"kind":4,"counts":[],"__proto__":{"x":1}}`))).toBe(
      ': unexpected key "__proto__"',
    );
  });

  it('does not read inherited keys as fields', () => {
    const inherited = Object.create({ port: 1 }) as Record<string, unknown>;
    Object.assign(inherited, { address: null, kind: 4, counts: [] });
    expect(query(inherited)).toBe('.port: missing');
  });

  it('checks a rule over the whole value after its fields', () => {
    const pair = shape.refine(shape.object({ low: shape.integer(), high: shape.integer() }), ({ low, high }) =>
      low <= high ? undefined : ': low is above high',
    );
    expect(pair({ low: 1, high: 2 })).toBeUndefined();
    expect(pair({ low: 3, high: 2 })).toBe(': low is above high');
    expect(pair({ low: 'a', high: 2 })).toMatch(/^\.low: /);
  });

  it('infers the type a passing value has', () => {
    expectTypeOf<Infer<typeof query>>().toEqualTypeOf<{
      address: string | null;
      port: number;
      kind: 4 | 6 | 'udp4';
      counts: [number, number][];
      fd?: number | undefined;
      data?: unknown;
    }>();
  });

  it('checks handles against their rule', () => {
    expect(checkHandle('none', undefined)).toBeUndefined();
    expect(checkHandle('none', {})).toBe('a handle came where none belongs');
    expect(checkHandle('required', undefined)).toBe('the handle it needs is missing');
    expect(checkHandle('required', {})).toBeUndefined();
    expect(checkHandle('optional', {})).toBeUndefined();
    expect(checkHandle('optional', undefined)).toBeUndefined();
  });
});
