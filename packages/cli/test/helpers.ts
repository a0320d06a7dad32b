import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningScript, runScript } from '@cluster/test-utils';

/** The built binary, as `npm install` links it. */
export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const folders: string[] = [];
/** A fresh folder, removed by `cleanUp()`. */
export function tempDir(prefix = 'cluster-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

const spawned = new Set<ChildProcess>();

/** Kills what `tty()` started and removes the temp folders; `killAll()` does the rest. */
export function cleanUp(): void {
  for (const child of spawned) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  spawned.clear();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A `cluster` command running, with both streams collected. */
export interface Cli extends RunningScript {
  /** Resolves with the first stderr line (the CLI's own) that passes `test`. */
  waitForError(test: (line: string) => boolean, timeout?: number): Promise<string>;
  /** The port the workers listen on, from the ready line. */
  ready(timeout?: number): Promise<number>;
}

/** Runs `cluster <args>` with its own runtime folder (`XDG_RUNTIME_DIR`), so that tests never meet. */
export function cli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeout?: number; runtime: string },
): Cli {
  const script = runScript(BIN, {
    args,
    cwd: options.cwd ?? fileURLToPath(new URL('./fixtures/', import.meta.url)),
    env: { XDG_RUNTIME_DIR: options.runtime, PORT: '0', NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env },
    timeout: options.timeout ?? 30_000,
  });
  const waitForError = (test: (line: string) => boolean, timeout = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = script.stderr.find(test);
        if (line === undefined) return false;
        finish();
        resolve(line);
        return true;
      };
      const onData = () => setImmediate(check);
      const onExit = () =>
        setTimeout(() => {
          if (!check()) {
            finish();
            reject(new Error(`exited before a matching stderr line\n${describe(script)}`));
          }
        }, 200);
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no matching stderr line within ${timeout} ms\n${describe(script)}`));
      }, timeout);
      const finish = () => {
        clearTimeout(timer);
        script.child.stderr?.off('data', onData);
        script.child.off('exit', onExit);
      };
      script.child.stderr?.on('data', onData);
      script.child.once('exit', onExit);
      check();
    });
  return Object.assign(script, {
    waitForError,
    async ready(timeout = 20_000) {
      const line = await waitForError((text) => / ready on /.test(text), timeout);
      return Number(/:(\d+)\//.exec(line)?.[1]);
    },
  });
}

/** Runs a `cluster` command to its end: its status and output. */
export async function cliResult(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; runtime: string }) {
  const run = cli(args, options);
  const { code } = await run.exited(20_000);
  return { code, stdout: run.stdout.join('\n'), stderr: run.stderr.join('\n') };
}

export function describe(script: RunningScript): string {
  return `stdout:\n${script.stdout.join('\n')}\nstderr:\n${script.stderr.join('\n')}`;
}

/** One GET on a new connection; resolves with the status and body, never rejects. */
export function get(
  port: number,
  path = '/',
  timeout = 10_000,
): Promise<{ status: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, body, error: error.code }));
    });
    request.setTimeout(timeout, () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, body: '', error: error.code ?? error.message }),
    );
  });
}

/** The pid that served a fixture app's answer. */
export const pidOf = (body: string): number => Number(body.split(' ')[0]);

/** Runs `command` in a pseudo-terminal (util-linux `script`), in its own process group; output as typed. */
export function tty(command: string, env: NodeJS.ProcessEnv, cwd: string) {
  // `script` runs the command with $SHELL -c. The command is exec'd so that the shell is gone: a shell that
  // stays to wait for it (dash does) is in the terminal's foreground group too, dies of the Ctrl-C a test
  // types, and `script` then reports 130 whatever the command's own status.
  const child = spawn('script', ['-qfec', `exec ${command}`, '/dev/null'], {
    cwd,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  spawned.add(child);
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    get output() {
      return output;
    },
    exited,
    /** Resolves once the output matches. */
    waitFor(pattern: RegExp, timeout = 15_000): Promise<string> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            resolve(output);
          }
        };
        const timer = setTimeout(() => {
          child.stdout.off('data', check);
          reject(new Error(`no ${pattern} within ${timeout} ms in:\n${output}`));
        }, timeout);
        child.stdout.on('data', check);
        check();
      });
    },
  };
}
