import { describe, expect, it } from 'vitest';
import { WORKER_ID_ENV } from './env.ts';
import { preloadFlag, workerForkArguments } from './fork.ts';
import { InspectPorts } from './inspect-port.ts';

const base = { exec: '/app/worker.js', args: ['--use', 'http'], execArgv: ['--no-warnings'], silent: false };

const argsFor = (settings: object, env?: NodeJS.ProcessEnv) =>
  workerForkArguments({
    id: 3,
    settings,
    env,
    preload: 'file:///preload.js',
    inspectPorts: new InspectPorts(() => 9229),
    baseEnv: { PATH: '/bin', NODE_UNIQUE_ID: '9', NODE_OPTIONS: '' },
  });

describe('workerForkArguments', () => {
  it("passes the settings to fork() as Node's createWorkerProcess does, with our preload last", () => {
    const [modulePath, args, options] = argsFor({ ...base, cwd: '/tmp', serialization: 'advanced', uid: 1, gid: 2 });
    expect(modulePath).toBe('/app/worker.js');
    expect(args).toEqual(['--use', 'http']);
    expect(options).toMatchObject({
      cwd: '/tmp',
      serialization: 'advanced',
      silent: false,
      uid: 1,
      gid: 2,
      execArgv: ['--no-warnings', preloadFlag('file:///preload.js')],
    });
  });

  it('adds fork(env) to the inherited environment, with the id in our variable and never NODE_UNIQUE_ID', () => {
    const [, , options] = argsFor(base, { EXTRA: 'yes', PATH: '/usr/bin' });
    expect(options.env).toEqual({ PATH: '/usr/bin', EXTRA: 'yes', NODE_OPTIONS: '', [WORKER_ID_ENV]: '3' });
  });

  it('gives an inspecting worker its own --inspect-port', () => {
    const [, , options] = argsFor({ ...base, execArgv: ['--inspect=0'] });
    expect(options.execArgv).toEqual(['--inspect=0', '--inspect-port=9230', preloadFlag('file:///preload.js')]);
  });

  it("throws Node's errors where Node does: inspectPort null, an execArgv that does not spread", () => {
    expect(() => argsFor({ ...base, inspectPort: null })).toThrow(
      expect.objectContaining({ code: 'ERR_SOCKET_BAD_PORT' }),
    );
    expect(() => argsFor({ ...base, execArgv: 42 })).toThrow(TypeError);
  });

  it('leaves what child_process.fork() checks to it', () => {
    const [, , options] = argsFor({ ...base, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: 'yes' });
    expect(options).toMatchObject({ stdio: ['pipe', 'pipe', 'pipe'], windowsHide: 'yes' });
  });
});
