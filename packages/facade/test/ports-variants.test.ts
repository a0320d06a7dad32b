import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killAll, traceOf } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsNamed, fixture, normalized, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

/** Runs the variant on node:cluster and on ours, each in a fresh working directory (pipes are relative). */
async function both(variant: string, sched: string) {
  const run = async (impl: 'node' | 'ours') => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'cluster-ports-'));
    const id = `${impl}${process.pid}`;
    try {
      const trace = await traceOf(fixture('ports-variants.mjs'), impl, {
        args: [variant],
        cwd,
        env: { ...OURS, PORTS_RUN: id, NODE_CLUSTER_SCHED_POLICY: sched },
      });
      return normalized(trace, cwd).map((line) => line.split(id).join('ID'));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  };
  const [node, ours] = await Promise.all([run('node'), run('ours')]);
  return { node, ours };
}

const parse = (lines: string[]) => lines.map((line) => JSON.parse(line) as { event: string } & Record<string, unknown>);

describe.each(['rr', 'none'])('listen variants in two workers under %s, side by side with node:cluster', (sched) => {
  it.each([
    ['ipv4', 4],
    ['ipv6', 6],
    ['ipv6only', 6],
    ['pipe', -1],
    ['pipe-private', -1],
    ['udp4', 'udp4'],
    ['udp6', 'udp6'],
  ])('%s: every worker shares one listener and the listening events carry addressType %s', async (variant, type) => {
    const { node, ours } = await both(variant, sched);
    expect(ours).toEqual(node);
    const trace = parse(ours);
    const listening = eventsNamed(trace, 'listening');
    expect(listening).toHaveLength(2);
    for (const entry of listening) {
      expect((entry.address as { addressType: unknown }).addressType).toBe(type);
      // Node's address object always has these four keys; fd is undefined for TCP and pipes, -1 for UDP.
      expect(entry.keys).toEqual(['address', 'addressType', 'fd', 'port']);
    }
    expect(eventsNamed(trace, 'worker-listening')).toHaveLength(2);
    expect(eventsNamed(trace, 'same-port')).toEqual([{ event: 'same-port', same: true }]);
    expect(eventsNamed(trace, 'probe')).toEqual([{ event: 'probe', reply: true }]);
    expect(eventsNamed(trace, 'disconnected')).toHaveLength(1);
  });

  it('ipv6Only: the shared listener refuses IPv4 clients', async () => {
    const { node, ours } = await both('ipv6only', sched);
    expect(ours).toEqual(node);
    expect(eventsNamed(parse(ours), 'probe-v4')).toEqual([{ event: 'probe-v4', v4: 'ECONNREFUSED' }]);
  });

  it('a relative pipe path resolves against the cwd, and readableAll/writableAll set the socket file mode', async () => {
    const shared = await both('pipe', sched);
    expect(shared.ours).toEqual(shared.node);
    // Node applies them only where the primary listens itself (SCHED_RR); its SCHED_NONE handle ignores them.
    const mode = sched === 'rr' ? '777' : '755';
    expect(eventsNamed(parse(shared.ours), 'mode')).toEqual([{ event: 'mode', mode }]);
    const listening = eventsNamed(parse(shared.ours), 'listening');
    expect((listening[0]?.address as { address?: string } | undefined)?.address).toBe('RUN/ports-ID.sock');
    const priv = await both('pipe-private', sched);
    expect(priv.ours).toEqual(priv.node);
    expect(eventsNamed(parse(priv.ours), 'mode')).toEqual([{ event: 'mode', mode: '755' }]);
  });

  it.each(['exclusive', 'handle'])(
    '%s: each worker keeps a port of its own and the primary hears nothing',
    async (variant) => {
      const { node, ours } = await both(variant, sched);
      expect(ours).toEqual(node);
      const trace = parse(ours);
      expect(eventsNamed(trace, 'listening')).toEqual([]);
      expect(eventsNamed(trace, 'same-port')).toEqual([{ event: 'same-port', same: false }]);
      expect(eventsNamed(trace, 'probe')).toEqual([{ event: 'probe', reply: true }]);
    },
  );
});
