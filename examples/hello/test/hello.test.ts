import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { byWorker, killAll, runScript, TRACER, type TraceEvent } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const server = `${here}server.mjs`;
const PORT = 8000;

afterEach(() => killAll());

/** One request on a fresh connection, so that the primary hands each to a worker in turn. */
function get(): Promise<{ status: number; body: string; pid: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: PORT, agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, pid: String(res.headers['x-pid'] ?? '') }));
    });
    request.on('error', reject);
    request.setTimeout(5_000, () => request.destroy(new Error('request timed out')));
  });
}

const listeningCount = (lines: string[]) => lines.filter((line) => line.includes('"event":"listening"')).length;

describe('the API page first example', () => {
  it('serves hello world from more than one worker process', async () => {
    // Tag each response with the pid of the worker that served it, without touching the example.
    const probe = `${here}test/.pid-probe.mjs`;
    await writeFile(
      probe,
      "import http from 'node:http';\nconst { emit } = http.Server.prototype;\n" +
        "http.Server.prototype.emit = function (event, req, res) {\n" +
        "  if (event === 'request') res.setHeader('x-pid', String(process.pid));\n" +
        '  return emit.apply(this, arguments);\n};\n',
    );
    try {
      const script = runScript(server, { cwd: here, execArgv: ['--import', probe, '--import', TRACER] });
      await script.waitForLine(() => listeningCount(script.stdout) >= Math.min(2, availableParallelism()));
      const pids = new Set<string>();
      for (let attempt = 0; attempt < 10 && pids.size < 2; attempt++) {
        const response = await get();
        expect(response.status).toBe(200);
        expect(response.body).toBe('hello world\n');
        pids.add(response.pid);
      }
      expect(pids.size).toBeGreaterThanOrEqual(2);
    } finally {
      await rm(probe, { force: true });
    }
  });

  it('emits the same cluster events, in the same order per worker, as with node:cluster', async () => {
    const source = await readFile(server, 'utf8');
    const nodeVariant = `${here}test/.server-node.mjs`;
    await writeFile(nodeVariant, source.replace("from '@cluster/core'", "from 'node:cluster'"));
    const oursVariant = `${here}test/.server-ours.mjs`;
    await copyFile(server, oursVariant);
    try {
      const run = async (file: string, impl: 'node' | 'ours') => {
        const script = runScript(file, { cwd: here, execArgv: ['--import', TRACER], env: { CLUSTER_IMPL: impl } });
        await script.waitForLine(() => listeningCount(script.stdout) >= availableParallelism());
        // Every worker is up: end one with SIGKILL to see `exit` with Node's arguments.
        const trace = () =>
          script.stdout.filter((l) => l.startsWith('TRACE ')).map((l) => JSON.parse(l.slice(6)) as TraceEvent);
        // The same worker on both sides: worker 1, by the pid its fork event carries.
        const pid = Number(trace().find((entry) => entry.event === 'fork' && entry.worker === 1)?.pid);
        process.kill(pid, 'SIGKILL');
        await script.waitForLine((line) => line.includes('"event":"exit"'));
        script.kill();
        await script.exited();
        return { trace: trace() };
      };
      // One after the other: the example listens on a fixed port.
      const node = await run(nodeVariant, 'node');
      const ours = await run(oursVariant, 'ours');
      expect(byWorker(ours.trace)).toEqual(byWorker(node.trace));
      const exitOf = (trace: TraceEvent[]) => trace.find((entry) => entry.event === 'exit');
      expect(exitOf(ours.trace)).toMatchObject({ code: null, signal: 'SIGKILL' });
      expect(exitOf(node.trace)).toMatchObject({ code: null, signal: 'SIGKILL' });
    } finally {
      await rm(nodeVariant, { force: true });
      await rm(oursVariant, { force: true });
    }
  });
});
