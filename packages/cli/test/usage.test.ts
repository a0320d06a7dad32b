import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, cli, cliResult, fixture, tempDir } from './helpers.ts';

afterEach(() => {
  killAll();
  cleanUp();
});

/** A folder with the fixture app and `files` in it, to run `cluster` from. */
function project(files: Record<string, string>): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'app.cjs'), `require(${JSON.stringify(fixture('app.cjs'))});\n`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const noStack = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

describe('mistakes', () => {
  it.each([
    [
      ['run', 'app.cjs', '--wrokers', '2'],
      'ERR_CLUSTER_UNKNOWN_OPTION',
      /unknown option --wrokers .*\nDid you mean --workers\?/,
    ],
    [
      ['run', 'app.cjs', '-w', 'lots'],
      'ERR_CLUSTER_INVALID_OPTION_VALUE',
      /-w expected a whole number from 0 to 1024, or 'max', got "lots"/,
    ],
    [
      ['run', 'app.cjs', '--drain-timeout', 'soon'],
      'ERR_CLUSTER_INVALID_OPTION_VALUE',
      /--drain-timeout expected a duration/,
    ],
    [['run', 'app.cjs', '--status', 'here'], 'ERR_CLUSTER_INVALID_OPTION_VALUE', /--status expected \[host:\]port/],
    [
      ['run', 'app.cjs', '--policy', 'fastest'],
      'ERR_CLUSTER_INVALID_OPTION_VALUE',
      /--policy expected one of 'round-robin'/,
    ],
    [['run', 'app.cjs', '--workers'], 'ERR_CLUSTER_MISSING_ARGUMENT', /--workers needs a value: <n\|max>/],
    [
      ['run', 'app.cjs', '--port', '3000'],
      'ERR_CLUSTER_UNKNOWN_OPTION',
      /go after '--': cluster run app\.js -- --port 3000/,
    ],
    [['run', 'app.cjs', 'extra'], 'ERR_CLUSTER_UNEXPECTED_ARGUMENT', /unexpected argument "extra"/],
    [['run'], 'ERR_CLUSTER_MISSING_ARGUMENT', /'cluster run' needs the app's entry file/],
    [['run', 'ap.cjs'], 'ERR_CLUSTER_APP_NOT_FOUND', /the app ap\.cjs does not exist .*\nDid you mean app\.cjs\?/],
    [['stauts'], 'ERR_CLUSTER_UNKNOWN_COMMAND', /unknown command "stauts" .*\nDid you mean 'cluster status'\?/],
    [['start', 'app.cjs'], 'ERR_CLUSTER_UNKNOWN_COMMAND', /Did you mean 'cluster run'\?/],
    [['scale', 'many'], 'ERR_CLUSTER_INVALID_OPTION_VALUE', /<n> expected a count/],
    [['status', '--jsn'], 'ERR_CLUSTER_UNKNOWN_OPTION', /Did you mean --json\?/],
  ])('%j: %s, exit status 2, no stack trace', async (args, code, message) => {
    const { code: status, stderr } = await cliResult(args, { runtime: tempDir(), cwd: project({}) });
    expect(status).toBe(2);
    expect(stderr).toContain(`[${code}]`);
    expect(stderr).toMatch(message);
    noStack(stderr);
  });

  it.each([
    [
      'cluster.config.json',
      '{"wrokers": 2}',
      /cluster\.config\.json: unknown option "wrokers" .*\nDid you mean "workers"\?/,
      'ERR_CLUSTER_UNKNOWN_OPTION',
    ],
    [
      'cluster.config.json',
      '{"workers": "lots"}',
      /cluster\.config\.json: "workers" expected a whole number/,
      'ERR_CLUSTER_INVALID_OPTION_VALUE',
    ],
    ['cluster.config.json', '{"workers": 2,}', /cluster\.config\.json could not be read/, 'ERR_CLUSTER_CONFIG_INVALID'],
    ['cluster.config.json', '[2]', /must hold an object of options/, 'ERR_CLUSTER_CONFIG_INVALID'],
    [
      'cluster.config.mjs',
      'export default { drainTimout: 5 };',
      /cluster\.config\.mjs: unknown option "drainTimout" .*\nDid you mean "drainTimeout"\?/,
      'ERR_CLUSTER_UNKNOWN_OPTION',
    ],
    [
      'cluster.config.mjs',
      'throw new Error("boom");',
      /cluster\.config\.mjs could not be read: boom/,
      'ERR_CLUSTER_CONFIG_INVALID',
    ],
    [
      'package.json',
      '{"cluster": {"env": {"A": {}}}}',
      /package\.json "cluster": "env" expected an object of variables/,
      'ERR_CLUSTER_INVALID_OPTION_VALUE',
    ],
  ])('a bad %s (%s) is named, with exit status 2', async (file, text, message, code) => {
    const { code: status, stderr } = await cliResult(['run', 'app.cjs'], {
      runtime: tempDir(),
      cwd: project({ [file]: text }),
    });
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain(`[${code}]`);
    noStack(stderr);
  });

  it('refuses options in two places rather than guess which wins', async () => {
    const cwd = project({ 'cluster.config.json': '{}', 'package.json': '{"cluster": {}}' });
    const { code, stderr } = await cliResult(['run', 'app.cjs'], { runtime: tempDir(), cwd });
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /options in two places: cluster\.config\.json and package\.json "cluster" \[ERR_CLUSTER_CONFIG_INVALID\]/,
    );
  });
});

describe('options from a config file', () => {
  it('takes the file over the defaults and the flags over the file; env and env files reach the workers', async () => {
    const cwd = project({
      'cluster.config.json': JSON.stringify({
        app: 'app.cjs',
        workers: 3,
        name: 'from-file',
        env: { GREETING: 'file' },
        envFile: '.env',
      }),
      '.env': 'GREETING=envfile\nOTHER=1\n',
    });
    const runtime = tempDir();
    const run = cli(['run', '-w', '1'], { runtime, cwd });
    await run.ready();
    expect(run.stderr.join('\n')).toMatch(/starting 1 worker of app\.cjs .*"from-file"/);
    const status = JSON.parse((await cliResult(['status', 'from-file', '--json'], { runtime })).stdout);
    expect(status.workers).toHaveLength(1);
    const port = Number(/:(\d+)\//.exec(status.addresses[0])?.[1]);
    const { get } = await import('./helpers.ts');
    expect((await get(port)).body).toMatch(/ file\n$/);
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
  });

  it('reads cluster.config.mjs and the "cluster" key of package.json', async () => {
    const runtime = tempDir();
    for (const [file, text, name] of [
      ['cluster.config.mjs', 'export default { workers: 1, name: "mjs" };', 'mjs'],
      ['package.json', '{"name": "x", "cluster": {"workers": 1, "name": "pkg"}}', 'pkg'],
    ] as const) {
      const run = cli(['run', 'app.cjs'], { runtime, cwd: project({ [file]: text }) });
      await run.ready();
      expect(run.stderr.join('\n'), file).toMatch(new RegExp(`starting 1 worker of app\\.cjs .*"${name}"`));
      run.child.kill('SIGTERM');
      expect((await run.exited()).code, file).toBe(0);
    }
  });
});

describe('help', () => {
  it('prints the commands with cluster --help and each command with cluster <command> --help', async () => {
    const runtime = tempDir();
    const main = await cliResult(['--help'], { runtime });
    expect(main.code).toBe(0);
    for (const command of ['run', 'ls', 'status', 'reload', 'scale', 'stop']) {
      expect(main.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
      const own = await cliResult([command, '--help'], { runtime });
      expect(own.code, command).toBe(0);
      expect(own.stdout, command).toMatch(new RegExp(`^Usage: cluster ${command}\\b`));
    }
    const bare = await cliResult([], { runtime });
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe(main.stdout);
    expect((await cliResult(['--version'], { runtime })).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
