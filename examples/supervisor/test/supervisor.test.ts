import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const primary = fileURLToPath(new URL('../primary.mjs', import.meta.url));

afterEach(() => killAll());

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe.each(['ours', 'node'])('the supervised server on %s', (impl) => {
  it('serves, reloads on SIGHUP without a failed request, and drains and exits 0 on SIGTERM', async () => {
    const env = { PORT: '0', WORKERS: '2', ...(impl === 'node' ? { CLUSTER: 'node' } : {}) };
    const script = runScript(primary, { env, timeout: 30_000 });
    const ready = await script.waitForLine((line) => line.includes('workers ready'));
    const port = Number(/localhost:(\d+)/.exec(ready)?.[1]);
    const pidOf = (body: string) => /pid (\d+)/.exec(body)?.[1];
    const before = new Set<string | undefined>();
    for (let i = 0; i < 4; i++) {
      const body = await get(port);
      expect(body).toMatch(/^hello from slot [01] \(pid \d+/);
      before.add(pidOf(body));
    }

    // Requests all along the reload; none may fail.
    let reloading = true;
    const during: Array<Promise<string>> = [];
    const sender = (async () => {
      while (reloading) {
        during.push(get(port));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    script.child.kill('SIGHUP');
    await script.waitForLine((line) => line === 'reloaded 2 workers');
    reloading = false;
    await sender;
    const answers = await Promise.all(during);
    expect(answers.every((body) => body.startsWith('hello from slot'))).toBe(true);
    expect(script.stdout).toContain('reload: slot 1 replaced (2/2)');
    const after = pidOf(await get(port));
    expect(before.has(after)).toBe(false);

    script.child.kill('SIGTERM');
    const { code } = await script.exited(15_000);
    expect(code).toBe(0);
    expect(script.stdout).toContain('SIGTERM: draining 2 workers');
  }, 30_000);
});
