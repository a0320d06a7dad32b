import { describe, expect, it } from 'vitest';
import { InspectPorts, isUsingInspector, validatePort } from './inspect-port.ts';

describe('InspectPorts', () => {
  it("counts up from the primary's port, one per worker", () => {
    const ports = new InspectPorts(() => 9229);
    expect([ports.next(undefined), ports.next(undefined), ports.next(undefined)]).toEqual([9230, 9231, 9232]);
  });

  it('wraps past 65535 to 1024, as Node does', () => {
    const ports = new InspectPorts(() => 65534);
    expect([ports.next(undefined), ports.next(undefined), ports.next(undefined)]).toEqual([65535, 1024, 1025]);
  });

  it('uses a number as given and a function per worker, without moving the default count', () => {
    const ports = new InspectPorts(() => 9229);
    let next = 20_000;
    expect(ports.next(12_345)).toBe(12_345);
    expect(ports.next('12346')).toBe(12_346);
    expect([ports.next(() => next++), ports.next(() => next++)]).toEqual([20_000, 20_001]);
    expect(ports.next(undefined)).toBe(9230);
  });

  it('throws ERR_SOCKET_BAD_PORT for what is not a port', () => {
    const ports = new InspectPorts(() => 9229);
    for (const bad of [70_000, -1, 1.5, '', ' ', 'abc', () => 'abc', () => undefined]) {
      expect(() => ports.next(bad as never)).toThrow(
        expect.objectContaining({ code: 'ERR_SOCKET_BAD_PORT', name: 'RangeError' }),
      );
    }
  });
});

describe('validatePort', () => {
  it('accepts 0 to 65535 as numbers or numeric strings', () => {
    expect(validatePort(0)).toBe(0);
    expect(validatePort(65_535)).toBe(65_535);
    expect(validatePort('80')).toBe(80);
    expect(() => validatePort(65_536)).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_BAD_PORT' }));
    expect(() => validatePort(true)).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_BAD_PORT' }));
  });
});

describe('isUsingInspector', () => {
  it("sees Node's inspect flags in execArgv or NODE_OPTIONS", () => {
    for (const flag of ['--inspect', '--inspect=0', '--inspect-brk', '--inspect-port=0', '--debug-port=1']) {
      expect(isUsingInspector([flag], {})).toBe(true);
    }
    expect(isUsingInspector(['--no-warnings'], {})).toBe(false);
    expect(isUsingInspector([], { NODE_OPTIONS: '--inspect' })).toBe(true);
  });
});
