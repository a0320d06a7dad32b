import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { createTestConnection, createTestWorker, policyConformanceCases } from '@cluster/scheduler/testing';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fewestHanded } from '../src/index.mjs';

const server = fileURLToPath(new URL('../server.mjs', import.meta.url));

afterEach(() => killAll());

describe('fewest-handed conformance', () => {
  for (const testCase of policyConformanceCases(() => fewestHanded())) it(testCase.name, () => testCase.run());
});

describe('fewestHanded', () => {
  const anyone = createTestConnection(undefined);

  it('picks the free worker handed the fewest connections, the first to join on a tie', () => {
    const policy = fewestHanded();
    const workers = [createTestWorker(3, { handed: 4 }), createTestWorker(1, { handed: 2 }), createTestWorker(2, { handed: 2 })];
    expect(policy.pick(workers, anyone)?.id).toBe(1);
    workers[1].busy = true;
    expect(policy.pick(workers, anyone)?.id).toBe(2);
  });

  it('lets a worker that joined late catch up', () => {
    const policy = fewestHanded();
    const workers = [createTestWorker(1, { handed: 10 }), createTestWorker(2, { handed: 0 })];
    const picks = [];
    for (let i = 0; i < 12; i++) {
      const chosen = policy.pick(workers, anyone) as (typeof workers)[number];
      chosen.handed += 1;
      picks.push(chosen.id);
    }
    expect(picks.slice(0, 10)).toEqual(Array(10).fill(2));
  });

  it('holds connections once every worker reached the ceiling', () => {
    const policy = fewestHanded({ ceiling: 2 });
    expect(policy.pick([createTestWorker(1, { handed: 2 })], anyone)).toBeUndefined();
  });
});

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.headers['x-worker'])));
      })
      .on('error', reject);
  });
}

describe('a clustered server balanced by fewest-handed', () => {
  it('hands requests to both workers in equal shares', async () => {
    const script = runScript(server, { env: { PORT: '0', WORKERS: '2' } });
    const line = await script.waitForLine((text) => text.startsWith('listening on'));
    const port = Number(/listening on (\d+)/.exec(line)?.[1]);
    const served: string[] = [];
    for (let i = 0; i < 10; i++) served.push(await get(port));
    expect(served.filter((id) => id === '1')).toHaveLength(5);
    expect(served.filter((id) => id === '2')).toHaveLength(5);
  });
});
