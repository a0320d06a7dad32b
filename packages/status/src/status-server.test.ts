import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startStatusServer } from './status-server.ts';

const supervisor = {
  workers: [],
  stopping: false,
  metrics: undefined,
  reload: async () => ({ replaced: 0 }),
  scale: async () => {},
  on: () => {},
};
const codeOf = async (options: unknown) => {
  try {
    const server = await startStatusServer(options as never);
    await server.close();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('startStatusServer', () => {
  it('refuses bad options with stable codes', async () => {
    expect(await codeOf(undefined)).toBe('ERR_INVALID_ARG_TYPE');
    expect(await codeOf({})).toBe('ERR_INVALID_ARG_TYPE');
    expect(await codeOf({ supervisor, port: 70_000 })).toBe('ERR_INVALID_ARG_VALUE');
    expect(await codeOf({ supervisor, host: '' })).toBe('ERR_INVALID_ARG_TYPE');
    expect(await codeOf({ supervisor, token: 'short' })).toBe('ERR_INVALID_ARG_VALUE');
  });

  it('binds to 127.0.0.1 by default, and says which port it could not bind', async () => {
    const server = await startStatusServer({ supervisor });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await codeOf({ supervisor, port: server.port })).toBe('ERR_CLUSTER_STATUS_LISTEN_FAILED');
    await server.close();
  });

  it('builds nothing for a sample while no one is subscribed to /events, and sends it to those who are', async () => {
    // A describe() can be costly (the CLI's reads every worker's state): it runs for subscribers only.
    let described = 0;
    const snapshot = { at: 0, slots: [], workers: [] };
    const metrics = Object.assign(new EventEmitter(), {
      options: { interval: 1_000, history: 10, timeout: 100 },
      latest: () => snapshot,
      history: () => [],
      events: () => [],
      promClient: async () => [],
    });
    const server = await startStatusServer({
      supervisor: { ...supervisor, metrics } as never,
      describe: () => {
        described += 1;
        return { name: 'test' };
      },
    });
    try {
      for (let i = 0; i < 3; i++) metrics.emit('sample', snapshot);
      expect(described).toBe(0);

      const request = http.get(`${server.url}/events`);
      const [response] = (await once(request, 'response')) as [http.IncomingMessage];
      response.setEncoding('utf8');
      let text = '';
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      // The hello frame (a status) comes first; then one sample frame per sample.
      while (!text.includes('event: hello')) await once(response, 'data');
      const afterHello = described;
      metrics.emit('sample', snapshot);
      while (!text.includes('event: sample')) await once(response, 'data');
      expect(described).toBe(afterHello + 1);
      expect(text).toMatch(/event: sample\ndata: \{"name":"test"/);
      request.destroy();
    } finally {
      await server.close();
    }
  });

  it('turns /healthz 503 after its own event loop stalled beyond healthMaxDelay, and 200 again after', async () => {
    const server = await startStatusServer({ supervisor, healthMaxDelay: 200 });
    const health = async () => {
      const request = http.get(`${server.url}/healthz`);
      const [response] = (await once(request, 'response')) as [http.IncomingMessage];
      response.resume();
      return response.statusCode;
    };
    try {
      expect(await health()).toBe(200);
      // A 600 ms stall of this process's loop: the window that holds it reads as unhealthy.
      const end = performance.now() + 600;
      while (performance.now() < end) {}
      const seen: Array<number | undefined> = [];
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && !(seen.includes(503) && seen.at(-1) === 200)) seen.push(await health());
      expect(seen).toContain(503);
      expect(seen.at(-1)).toBe(200);
    } finally {
      await server.close();
    }
  });
});
