import { readFileSync } from 'node:fs';
import { killAll, traceOf } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsNamed, fixture, normalized, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

const isRoot = process.getuid?.() === 0;
/** Port 1 is privileged unless the kernel lets anyone bind low ports. */
const lowPortsPrivileged = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')) > 1;
  } catch {
    return true;
  }
})();

async function both(scenario: string, sched: string) {
  const options = { args: [scenario], env: { ...OURS, NODE_CLUSTER_SCHED_POLICY: sched } };
  // One after the other: the 'uid' scenario really binds port 1, which both runs cannot hold at once.
  const node = await traceOf(fixture('ports-errors.mjs'), 'node', options);
  const ours = await traceOf(fixture('ports-errors.mjs'), 'ours', options);
  expect(normalized(ours)).toEqual(normalized(node));
  for (const trace of [node, ours]) {
    expect(eventsNamed(trace, 'primary-alive')).toEqual([{ event: 'primary-alive', reply: 'primary' }]);
    expect(eventsNamed(trace, 'disconnected')).toHaveLength(1);
  }
  return eventsNamed(ours, 'worker-said');
}

describe.each(['rr', 'none'])('listen errors under %s, side by side with node:cluster', (sched) => {
  it("reaches the worker's server as 'error' with EADDRINUSE when another process holds the port", async () => {
    const said = await both('inuse', sched);
    expect(said).toHaveLength(2);
    for (const entry of said) {
      expect(entry).toMatchObject({
        error: { code: 'EADDRINUSE', errno: -98, syscall: 'bind', address: '127.0.0.1' },
        keys: ['address', 'code', 'errno', 'port', 'syscall'],
        isError: true,
      });
    }
  });

  it.runIf(lowPortsPrivileged && process.getuid !== undefined)(
    "reaches the worker's server as 'error' with EACCES when the primary may not bind port 1",
    async () => {
      const said = await both('eacces', sched);
      for (const entry of said) {
        expect(entry).toMatchObject({ error: { code: 'EACCES', errno: -13, syscall: 'bind', port: 1 } });
      }
    },
  );

  it.runIf(isRoot)('lets workers forked with settings.uid share port 1, since the primary binds it', async () => {
    const said = await both('uid', sched);
    expect(said.map((entry) => ({ listening: entry.listening, uid: entry.uid }))).toEqual([
      { listening: true, uid: 65534 },
      { listening: true, uid: 65534 },
    ]);
  });
});
