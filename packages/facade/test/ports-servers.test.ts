import { killAll, traceBoth } from '@cluster/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addressShapes, createTestCertificate, eventsNamed, fixture, OURS } from './ports-helpers.ts';

let cert: ReturnType<typeof createTestCertificate>;
beforeAll(() => {
  cert = createTestCertificate();
});
afterAll(() => cert.remove());
afterEach(() => killAll());

describe.each(['net', 'http', 'https', 'tls'])('a %s server in two workers', (kind) => {
  it('listens on one shared port and both workers serve connections, as under node:cluster', async () => {
    const { node, ours } = await traceBoth(fixture('ports-servers.mjs'), {
      args: [kind],
      env: { ...OURS, PORTS_CERT_DIR: cert.dir },
    });
    expect(addressShapes(ours)).toEqual(addressShapes(node));
    expect(addressShapes(ours)).toEqual([
      { worker: 1, address: { addressType: 4, address: '127.0.0.1', port: 'port' } },
      { worker: 2, address: { addressType: 4, address: '127.0.0.1', port: 'port' } },
    ]);
    for (const trace of [node, ours]) {
      expect(eventsNamed(trace, 'same-port')).toEqual([{ event: 'same-port', same: true }]);
      expect(eventsNamed(trace, 'served')).toEqual([{ event: 'served', workers: [1, 2], count: 8 }]);
      expect(eventsNamed(trace, 'disconnected')).toHaveLength(1);
    }
  });
});
