import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const WORKERS = 2;
const ROUNDS = 5;
const ACK_TIMEOUT_MS = 10_000;

const clients: Socket[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  killAll();
});

/** A long-polling client: each emit and each poll is its own HTTP request to the primary. */
async function connect(port: number): Promise<Socket> {
  const client = io(`http://127.0.0.1:${port}`, { transports: ['polling'], forceNew: true, reconnection: false });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('connect_error', reject);
  });
  return client;
}

async function whoami(client: Socket): Promise<{ worker: number; transport: string }> {
  return client.timeout(ACK_TIMEOUT_MS).emitWithAck('whoami');
}

describe('@socket.io/sticky through register', () => {
  for (const impl of ['node', 'ours'] as const) {
    it(`keeps each client's long-polling requests on one worker (on ${impl === 'ours' ? 'ours, through register' : 'node:cluster'})`, async () => {
      const script = runScript(`${here}server.cjs`, {
        cwd: here,
        execArgv: impl === 'ours' ? ['--require', '@cluster/core/register', '--require', './test/which-cluster.cjs'] : ['--require', './test/which-cluster.cjs'],
        env: { WORKERS: String(WORKERS) },
        timeout: 40_000,
      });
      const port = Number((await script.waitForLine((l) => l.startsWith('primary listening on'))).split(' ').pop());
      const seen: number[] = [];
      for (let c = 0; c < WORKERS; c++) {
        const client = await connect(port);
        const answers = [];
        for (let i = 0; i < ROUNDS; i++) answers.push(await whoami(client));
        expect(answers.every((a) => a.transport === 'polling')).toBe(true);
        // Every request of this session was answered by the same worker.
        expect(new Set(answers.map((a) => a.worker)).size).toBe(1);
        seen.push(answers[0]?.worker ?? -1);
      }
      // least-connection counts sessions on the Worker objects: the second client went to the other worker.
      expect(new Set(seen).size).toBe(WORKERS);
      expect(script.stdout.filter((line) => line.startsWith('cluster: ')).sort()).toEqual([
        `cluster: ${impl} in primary`,
        ...Array.from({ length: WORKERS }, () => `cluster: ${impl} in worker`),
      ]);
    });
  }
});
