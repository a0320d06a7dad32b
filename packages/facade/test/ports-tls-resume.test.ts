import { killAll, traceBoth } from '@cluster/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, fixture, OURS } from './ports-helpers.ts';

let cert: ReturnType<typeof createTestCertificate>;
beforeAll(() => {
  cert = createTestCertificate();
});
afterAll(() => cert.remove());
afterEach(() => killAll());

const run = (sched: string, args: string[] = []) =>
  traceBoth(fixture('ports-tls-resume.mjs'), {
    args,
    env: { ...OURS, PORTS_CERT_DIR: cert.dir, NODE_CLUSTER_SCHED_POLICY: sched },
  });

describe.each(['rr', 'none'])('TLS session tickets under %s, side by side with node:cluster', (sched) => {
  it('resumes a session from one worker on another, as the ticket keys are shared', async () => {
    const { node, ours } = await run(sched);
    expect(ours).toEqual(node);
    expect(ours).toEqual([
      { event: 'first', hasTicket: true, reused: false },
      { event: 'other-worker', reused: true },
      { event: 'disconnected' },
    ]);
  });

  it('does not resume when each worker sets keys of its own (the control)', async () => {
    const { node, ours } = await run(sched, ['own-keys']);
    expect(ours).toEqual(node);
    expect(ours).toContainEqual({ event: 'other-worker', reused: false });
  });
});
