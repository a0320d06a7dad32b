import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { type RunningScript, runScript, type TraceEvent, waitForTrace } from '@cluster/test-utils';

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export type Trace = TraceEvent;

/** A supervised primary with a status server (fixtures/primary.mjs), once every slot is ready. */
export interface Primary {
  readonly script: RunningScript;
  readonly url: string;
  readonly appPort: number;
  readonly pids: number[];
  waitFor(event: string, test?: (entry: Trace) => boolean, timeout?: number): Promise<Trace>;
}

export async function startPrimary(
  options: { supervise?: object; status?: object; env?: Record<string, string>; timeout?: number } = {},
): Promise<Primary> {
  const script = runScript(fixture('primary.mjs'), {
    env: {
      SUPERVISE: JSON.stringify(options.supervise ?? {}),
      STATUS: JSON.stringify(options.status ?? {}),
      ...options.env,
    },
    timeout: options.timeout ?? 90_000,
  });
  const waitFor = (event: string, test?: (entry: Trace) => boolean, timeout = 20_000) =>
    waitForTrace(script, event, test, timeout);
  const status = await waitFor('status');
  const ready = await waitFor('ready');
  return { script, url: String(status.url), appPort: Number(ready.appPort), pids: ready.pids as number[], waitFor };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request on its own connection; rejects after `timeout` ms. */
export function request(
  url: string,
  init: { method?: string; headers?: http.OutgoingHttpHeaders; body?: string } = {},
  timeout = 10_000,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.setTimeout(timeout, () => req.destroy(new Error(`no answer from ${url} in ${timeout} ms`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Polls `read` until `test` passes (every 50 ms, at most `timeout` ms); returns the last value read. */
export async function until<T>(read: () => Promise<T>, test: (value: T) => boolean, timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (test(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
