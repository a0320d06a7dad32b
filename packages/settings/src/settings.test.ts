import { describe, expect, it } from 'vitest';
import { mergeSettings } from './settings.ts';

const proc = { argv: ['/usr/bin/node', '/app/main.js', '--port', '80'], execArgv: ['--no-warnings'] };

describe('mergeSettings', () => {
  it("fills in Node's defaults on the first call", () => {
    expect(mergeSettings({}, undefined, proc)).toEqual({
      args: ['--port', '80'],
      exec: '/app/main.js',
      execArgv: ['--no-warnings'],
      silent: false,
    });
  });

  it('merges later calls over the current settings, cumulatively', () => {
    const first = mergeSettings({}, { exec: 'worker.js', args: ['--use', 'https'], silent: true }, proc);
    const second = mergeSettings(first, { args: ['--use', 'http'] }, proc);
    expect(second).toEqual({ args: ['--use', 'http'], exec: 'worker.js', execArgv: ['--no-warnings'], silent: true });
    expect(first.args).toEqual(['--use', 'https']);
    expect(second).not.toBe(first);
  });

  it('gives --prof one log file per process, unless a log file is set', () => {
    expect(mergeSettings({}, { execArgv: ['--prof'] }, proc).execArgv).toEqual(['--prof', '--logfile=v8-%p.log']);
    expect(mergeSettings({}, { execArgv: ['--prof', '--logfile=x.log'] }, proc).execArgv).toEqual([
      '--prof',
      '--logfile=x.log',
    ]);
  });

  it('reads odd execArgv values as Node does: an array-like is fine, undefined throws a TypeError', () => {
    expect(mergeSettings({}, { execArgv: 42 as never }, proc).execArgv).toBe(42);
    expect(() => mergeSettings({}, { execArgv: undefined }, proc)).toThrow(TypeError);
  });
});
