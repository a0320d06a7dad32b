import { killAll, traceBoth } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsNamed, fixture, normalized, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

const run = (scenario: string, sched: string) =>
  traceBoth(fixture('ports-backlog-fd.mjs'), { args: [scenario], env: { ...OURS, NODE_CLUSTER_SCHED_POLICY: sched } });

describe.each(['rr', 'none'])('backlog and listen({ fd }) under %s, side by side with node:cluster', (sched) => {
  it("gives the shared listener the workers' backlog (ss shows it as Send-Q)", async () => {
    const { node, ours } = await run('backlog', sched);
    expect(normalized(ours)).toEqual(normalized(node));
    expect(eventsNamed(ours, 'backlog')).toEqual([{ event: 'backlog', sendQ: [7] }]);
    expect(eventsNamed(ours, 'probe')).toEqual([{ event: 'probe', served: true }]);
  });

  it("resolves listen({ fd }) in the primary's fd table and shares that socket", async () => {
    const { node, ours } = await run('fd', sched);
    expect(normalized(ours)).toEqual(normalized(node));
    expect(eventsNamed(ours, 'listening').map((entry) => entry.address)).toEqual([
      { addressType: null, address: null, port: expect.any(Number), fd: 'number' },
      { addressType: null, address: null, port: expect.any(Number), fd: 'number' },
    ]);
    expect(eventsNamed(ours, 'probe')).toEqual([{ event: 'probe', served: true }]);
  });
});

describe.each(['rr', 'none'])('dgram bind({ fd }) under %s, side by side with node:cluster', (sched) => {
  it("resolves the fd in the primary's fd table and shares that socket (test-cluster-dgram-bind-fd)", async () => {
    const { node, ours } = await run('udp-fd', sched);
    expect(normalized(ours)).toEqual(normalized(node));
    expect(eventsNamed(ours, 'listening').map((entry) => entry.address)).toEqual([
      { addressType: 'udp4', address: null, port: true, fd: 'number' },
      { addressType: 'udp4', address: null, port: true, fd: 'number' },
    ]);
    expect(eventsNamed(ours, 'received')).toHaveLength(2);
  });

  it('gives the socket an error when the fd is not a UDP socket, as the primary answers EINVAL', async () => {
    const { node, ours } = await run('udp-bad-fd', sched);
    expect(normalized(ours)).toEqual(normalized(node));
    expect(eventsNamed(ours, 'bind-error')).toEqual([{ event: 'bind-error', code: 'EINVAL', syscall: 'open' }]);
  });
});
