import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanUp, cli, fixture, get, tempDir, tty } from './helpers.ts';

afterEach(() => {
  killAll();
  cleanUp();
});

const ESC = '\u001b[';

describe('logs', () => {
  it('prints each worker line whole, prefixed [slot pid], on the stream it came from, and a dying last line', async () => {
    const run = cli(['run', 'app.cjs', '-w', '1', '--restart-delay', '20ms'], { runtime: tempDir() });
    const port = await run.ready();
    const pid = Number((await get(port)).body.split(' ')[0]);
    await get(port, '/say?die');
    await run.waitForLine((line) => line === `[0 ${pid}] last words`);
    // Two pipes: stderr's line may come after stdout's last.
    await run.waitForError((line) => line === `[0 ${pid}] to stderr`);
    expect(run.stdout).toContain(`[0 ${pid}] first half second half`);
    expect(run.stdout).toContain(`[0 ${pid}] line two`);
    expect(run.stderr).toContain(`[0 ${pid}] to stderr`);
    expect(run.stdout.every((line) => line === '' || /^\[0 \d+\] /.test(line))).toBe(true);
    // Not a terminal: no colour anywhere.
    expect([...run.stdout, ...run.stderr].some((line) => line.includes(ESC))).toBe(false);
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
  });

  it('writes one JSON object per line with --json-logs, its own lines too', async () => {
    const run = cli(['run', 'app.cjs', '-w', '1', '--json-logs'], { runtime: tempDir() });
    const ready = JSON.parse(await run.waitForError((line) => line.includes('"event":"ready"')));
    expect(ready).toMatchObject({ slot: null, pid: run.child.pid, stream: 'cluster', event: 'ready' });
    const port = Number(/:(\d+)\//.exec(ready.addresses[0])?.[1]);
    await get(port, '/say');
    await run.waitForLine((line) => line.includes('line two'));
    await run.waitForError((line) => line.includes('to stderr'));
    const records = run.stdout.filter((line) => line !== '').map((line) => JSON.parse(line));
    expect(records.find((record) => record.text === 'first half second half')).toMatchObject({
      slot: 0,
      stream: 'stdout',
      pid: expect.any(Number),
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(run.stderr.map((line) => JSON.parse(line)).find((record) => record.text === 'to stderr')?.stream).toBe(
      'stderr',
    );
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
  });

  it('on a terminal, colours the prefixes, shows each worker coming up, and ends start-up with one line', async () => {
    const runtime = tempDir();
    const command = `${process.execPath} ${BIN} run app.cjs -w 2`;
    const term = tty(command, { XDG_RUNTIME_DIR: runtime, PORT: '0' }, fixture(''));
    const output = await term.waitFor(/2 workers ready on http:\/\/127\.0\.0\.1:\d+\/ in /);
    expect(output).toMatch(/slot 0 {2}pid \d+ {2}ready in/);
    expect(output).toMatch(/slot 1 {2}pid \d+ {2}ready in/);
    // The prefix of a worker's line, in its slot's colour: ESC[<colour>m[slot pid]ESC[39m.
    expect(output.split(ESC).some((part) => /^3\dm\[[01] \d+\]$/.test(part))).toBe(true);
    // Ctrl-C, typed: the terminal sends SIGINT to its whole foreground group, workers included. They
    // still drain, and the primary exits 0.
    term.child.stdin.write('\u0003');
    await term.waitFor(/stopped: 2 workers drained/);
    expect(await term.exited).toBe(0);

    const plain = tty(`${command} --name plain`, { XDG_RUNTIME_DIR: runtime, PORT: '0', NO_COLOR: '1' }, fixture(''));
    const text = await plain.waitFor(/2 workers ready on/);
    expect(text).not.toContain(ESC);
    plain.child.stdin.write('\u0003');
    expect(await plain.exited).toBe(0);
  });

  it('pauses the workers while its own stdout is full, losing no line and holding no backlog in memory', async () => {
    const LINES = 200_000;
    const child = spawn(process.execPath, [BIN, 'run', 'chatty.cjs', '-w', '1'], {
      cwd: fixture(''),
      env: { ...process.env, XDG_RUNTIME_DIR: tempDir(), LINES: String(LINES), WIDTH: '200' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    try {
      // Nobody reads stdout for a while: the worker writes ~40 MB meanwhile.
      child.stdout.pause();
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      await waitUntil(() => / ready on /.test(stderr), 15_000);
      const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) * 1024;
      const start = rss();
      // An observation window, not a wait for something to settle: a primary that took in what the worker
      // writes would hold tens of MB by its end (the worker writes ~40 MB in well under a second).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(rss() - start).toBeLessThan(32 * 1024 * 1024);
      // Now read everything: every line arrives, whole, in order.
      let rest = '';
      let count = 0;
      let last = 0;
      let ordered = true;
      child.stdout.setEncoding('utf8');
      const done = new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: string) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) {
            const match = /^\[0 \d+\] (\d+) x{200}$/.exec(line);
            if (match !== null) {
              count++;
              if (Number(match[1]) !== last + 1) ordered = false;
              last = Number(match[1]);
            } else if (line.endsWith('] done')) resolve();
          }
        });
      });
      child.stdout.resume();
      await Promise.race([
        done,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${count} lines`)), 30_000)),
      ]);
      expect(count).toBe(LINES);
      expect(ordered).toBe(true);
    } finally {
      process.kill(-(child.pid as number), 'SIGKILL');
    }
  });
});

async function waitUntil(test: () => boolean, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
