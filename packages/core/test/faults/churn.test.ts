import { type Impl, killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { connections, control, explained, startCluster } from './helpers.ts';

afterEach(() => killAll());

const CONNECTIONS = 50_000;
const CYCLES = 500;
/** Workers forked (and killed once listening) at a time during the cycles. */
const CYCLES_AT_ONCE = 4;
/** Done first, so that what is made once (code, caches, pools) is not counted as growth. */
const WARM_UP = { connections: 2_000, cycles: 20 };
/**
 * What the primary's heap may grow by beyond node:cluster's growth: noise of a full GC's result,
 * well under what one leaked object per connection (50 000 of them) or per worker would add.
 */
const HEAP_SLACK_BYTES = 512 * 1024;

interface Stats {
  heapUsed: number;
  fds: number;
}

interface Growth {
  heap: number;
  fds: number;
  served: number;
  failed: number;
  seconds: number;
}

/** Growth of the primary's heap (after a full GC) and fds over the connections, then over the cycles. */
async function churn(impl: Impl): Promise<{ connections: Growth; cycles: Growth }> {
  const { script, ready } = await startCluster(
    impl,
    { WORKERS: '2', KIND: 'tcp' },
    { execArgv: ['--expose-gc'], timeout: 540_000 },
  );
  return explained(script, impl, async () => {
    await connections(ready.port, WARM_UP.connections);
    await control(ready.control, `/cycle?n=${WARM_UP.cycles}&at=${CYCLES_AT_ONCE}`);
    const measure = async (run: () => Promise<{ ok: number; failed: number }>): Promise<Growth> => {
      const before = await control<Stats>(ready.control, '/stats');
      const start = Date.now();
      const { ok, failed } = await run();
      const seconds = (Date.now() - start) / 1000;
      const after = await control<Stats>(ready.control, '/stats');
      return { heap: after.heapUsed - before.heapUsed, fds: after.fds - before.fds, served: ok, failed, seconds };
    };
    const overConnections = await measure(() => connections(ready.port, CONNECTIONS));
    const overCycles = await measure(async () => {
      await control(ready.control, `/cycle?n=${CYCLES}&at=${CYCLES_AT_ONCE}`, 300_000);
      return { ok: CYCLES, failed: 0 };
    });
    script.kill();
    return { connections: overConnections, cycles: overCycles };
  });
}

describe(`churn: ${CONNECTIONS} connections and ${CYCLES} fork/kill cycles, side by side with node:cluster`, () => {
  it("grow the primary's heap and fds no more than node:cluster's", { timeout: 600_000 }, async () => {
    // Side by side at once: what is compared is growth, not time.
    const [node, ours] = await Promise.all([churn('node'), churn('ours')]);
    const report = JSON.stringify({ node, ours });
    console.log(`churn: ${report}`);
    expect(ours.connections.failed, report).toBe(0);
    expect(ours.connections.served, report).toBe(CONNECTIONS);
    for (const phase of ['connections', 'cycles'] as const) {
      expect(ours[phase].fds, `${phase}: ${report}`).toBeLessThanOrEqual(Math.max(node[phase].fds, 0));
      expect(ours[phase].heap, `${phase}: ${report}`).toBeLessThanOrEqual(
        Math.max(node[phase].heap, 0) + HEAP_SLACK_BYTES,
      );
    }
  });
});
