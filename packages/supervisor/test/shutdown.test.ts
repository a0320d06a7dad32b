import http from 'node:http';
import net from 'node:net';
import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPLS, type Primary, startPrimary } from './helpers.ts';

afterEach(() => killAll());

/** Slack for a loaded machine. */
const TOLERANCE_MS = 1_500;

/** A slow request on a keep-alive connection; resolves with how it ended. */
function slowRequest(port: number, ms: number) {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise<{ status?: number; connection?: string; body?: string; error?: string; at: number }>((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: `/slow?ms=${ms}`, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode, connection: response.headers.connection, body, at: Date.now() }),
      );
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code, at: Date.now() }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code, at: Date.now() }));
  }).finally(() => agent.destroy());
}

/** Tries to connect every 20 ms until the port refuses; resolves with when it did. */
async function refusedAt(port: number, timeout = 10_000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeout) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`port ${port} still accepting after ${timeout} ms`);
}

async function startWithSlowRequest(impl: 'ours' | 'node', drain: Record<string, number>, ms: number) {
  const primary = await startPrimary(impl, { options: { workers: 2, signals: true, drain } });
  const request = slowRequest(primary.port, ms);
  await primary.script.waitForLine((line) => line.startsWith('SLOW '));
  return { primary, request };
}

const kills = (primary: Primary) => primary.trace().filter((entry) => entry.event === 'kill');

describe.each(IMPLS)('SIGTERM to the primary on %s', (impl) => {
  it('lets a 2 s request finish, refuses new connections once the listeners close, and exits 0 before the deadline', async () => {
    const deadline = 6_000;
    const { primary, request } = await startWithSlowRequest(impl, { timeout: deadline }, 2_000);
    const signalledAt = Date.now();
    primary.signal('SIGTERM');
    const refused = await refusedAt(primary.port);
    const answer = await request;
    const { code, signal } = await primary.script.exited(deadline + TOLERANCE_MS);
    const exitedAt = Date.now();

    expect(answer).toMatchObject({ status: 200, connection: 'close' });
    expect(refused).toBeLessThan(answer.at);
    expect(answer.at - signalledAt).toBeGreaterThan(1_000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(exitedAt - signalledAt).toBeLessThan(deadline);
    expect(primary.trace().find((entry) => entry.event === 'shutdown')).toMatchObject({ signal: 'SIGTERM' });
    expect(primary.trace().find((entry) => entry.event === 'stopped')).toMatchObject({ workers: 2, forced: 0 });
    expect(kills(primary)).toEqual([]);
  }, 30_000);

  it('kills a worker whose request outlives the deadline, at the deadline', async () => {
    const deadline = 1_000;
    const { primary, request } = await startWithSlowRequest(impl, { timeout: deadline, killTimeout: 1_000 }, 20_000);
    const signalledAt = Date.now();
    primary.signal('SIGTERM');
    const answer = await request;
    const { code } = await primary.script.exited(deadline + 1_000 + TOLERANCE_MS);

    expect(answer.error).toBeDefined();
    const [kill] = kills(primary);
    expect(kill).toMatchObject({ signal: 'SIGTERM', reason: 'deadline' });
    const late = (kill?.at as number) - signalledAt;
    expect(late).toBeGreaterThanOrEqual(deadline - 50);
    expect(late).toBeLessThan(deadline + TOLERANCE_MS);
    expect(kills(primary)).toHaveLength(1);
    expect(primary.trace().find((entry) => entry.event === 'stopped')).toMatchObject({ workers: 2, forced: 1 });
    // Not every worker drained: the primary says so.
    expect(code).toBe(1);
  }, 30_000);

  it('forces on a second signal: every worker is killed and the primary exits at once', async () => {
    const { primary, request } = await startWithSlowRequest(impl, { timeout: 20_000 }, 20_000);
    primary.signal('SIGTERM');
    await primary.waitFor('shutdown');
    const secondAt = Date.now();
    primary.signal('SIGINT');
    const { code } = await primary.script.exited(TOLERANCE_MS + 1_000);
    expect(code).toBe(130);
    expect(Date.now() - secondAt).toBeLessThan(TOLERANCE_MS + 1_000);
    expect((await request).error).toBeDefined();
    expect(kills(primary).map((entry) => [entry.signal, entry.reason])).toContainEqual(['SIGKILL', 'forced']);
  }, 30_000);
});
