import { describe, expect, it } from 'vitest';
import { PORTS_ACTS } from './protocol-shapes.ts';

const query = PORTS_ACTS.queryServer.body;
const tcp = { address: '127.0.0.1', port: 0, addressType: 4, index: 0, data: null };

describe('the queryServer shape', () => {
  it('passes what every form of listen() and bind() in a worker sends', () => {
    for (const body of [
      tcp,
      { ...tcp, address: null, port: 8000, backlog: 7, flags: 0 },
      { ...tcp, address: '::1', addressType: 6, ipv6Only: true },
      { ...tcp, backlog: false },
      { ...tcp, fd: undefined, flags: undefined, backlog: undefined, readableAll: undefined },
      { address: '/tmp/x.sock', port: -1, addressType: -1, index: 0, data: null, readableAll: true },
      { address: null, port: null, addressType: null, fd: 11, index: 0, data: null },
      {
        address: '0.0.0.0',
        port: 41234,
        addressType: 'udp4',
        fd: -1,
        flags: 0,
        index: 0,
        data: null,
        reuseAddr: false,
      },
      { ...tcp, data: { ticketKeys: 'ab'.repeat(48) } },
      // dgram bind({ fd }): the primary's descriptor.
      { address: null, port: null, addressType: 'udp4', fd: 9, flags: 0, index: 0, data: null },
    ]) {
      expect(query(body), JSON.stringify(body)).toBeUndefined();
    }
  });

  it('refuses what would make the primary listen somewhere the worker did not ask for', () => {
    for (const [body, problem] of [
      // `port: 'x'` used to make the primary listen on a Unix socket named after the address.
      [{ ...tcp, port: 'x' }, /^\.port: /],
      [{ ...tcp, port: -1 }, /a TCP listen/],
      [{ ...tcp, address: '' }, /a TCP listen/],
      [{ ...tcp, address: 'example.com' }, /a TCP listen/],
      [{ ...tcp, address: '::1' }, /a TCP listen has an IPv4 address/],
      [{ ...tcp, fd: 3 }, /a TCP listen/],
      [{ ...tcp, fd: -1 }, /a TCP listen/],
      [{ ...tcp, addressType: -1 }, /a pipe listen/],
      [{ address: null, port: null, addressType: null, index: 0 }, /an fd listen/],
      [{ ...tcp, addressType: 'udp6' }, /a UDP bind/],
      [{ address: '0.0.0.0', port: 0, addressType: 'udp4', fd: 9, index: 0 }, /a UDP bind of an fd/],
      [{ ...tcp, index: 2 ** 40 }, /^\.index: /],
      [{ ...tcp, address: 'a'.repeat(5000) }, /^\.address: expected at most 4096/],
      [{ ...tcp, extra: 1 }, /unexpected key "extra"/],
    ] as const) {
      expect(query(body), JSON.stringify(body).slice(0, 80)).toMatch(problem);
    }
  });
});
