import { isIP } from 'node:net';
import { type ActShape, type ActShapes, shape } from '@cluster/ipc';
import type { ServerQuery } from './protocol.ts';

/** Longest address a worker may ask for: a Unix socket path is far shorter, an IP address shorter still. */
export const MAX_ADDRESS_LENGTH = 4096;
/** Most listener keys one load report may carry (a worker holds one per round-robin server). */
export const MAX_LOAD_ENTRIES = 4096;

const INT32_MAX = 2 ** 31 - 1;
const key = shape.integer(1);
const port = shape.integer(0, 65535);
const address = shape.string(MAX_ADDRESS_LENGTH);
const flag = shape.optional(shape.boolean);

/**
 * A worker's `queryServer`, as `listen()`/`bind()` in the worker build it (Node's own
 * `listenInCluster` arguments): a TCP address and port, a pipe path (port and type -1), an fd of
 * the primary's (address, port and type null), or a UDP address.
 */
const serverQuery = shape.refine(
  shape.object({
    address: shape.nullable(address),
    port: shape.nullable(shape.integer(-1, 65535)),
    addressType: shape.nullable(shape.oneOf(4, 6, -1, 'udp4', 'udp6')),
    fd: shape.optional(shape.integer(-1, INT32_MAX)),
    flags: shape.optional(shape.integer(0, INT32_MAX)),
    // What Node's listen() hands on: a number, `false` when the argument was not one, or the user's option as
    // given, whatever it is; the primary reads a number out of it as Node's does, or uses the default.
    backlog: shape.optional(shape.unknown),
    index: shape.integer(0, INT32_MAX),
    data: shape.optional(shape.unknown),
    readableAll: flag,
    writableAll: flag,
    reuseAddr: flag,
    ipv6Only: flag,
  }),
  (query) => {
    const { address, fd } = query;
    switch (query.addressType) {
      case null:
        return typeof fd === 'number' && fd >= 0 && query.port === null && address === null
          ? undefined
          : ': an fd listen has a null address and port, and an fd';
      case -1:
        return fd === undefined && query.port === -1 && typeof address === 'string' && address.length > 0
          ? undefined
          : ': a pipe listen has a path, port -1 and no fd';
      case 4:
      case 6:
        // Node's listen() resolves a host name before it asks, so an address is an IP address.
        return fd === undefined &&
          port(query.port) === undefined &&
          (address === null || isIP(address) === query.addressType)
          ? undefined
          : `: a TCP listen has an IPv${query.addressType} address or none, a port from 0 to 65535 and no fd`;
      default:
        // bind({ fd }): the fd is the primary's, with a null address and port (Node's worker asks so).
        if (typeof fd === 'number' && fd > 0) {
          return address === null && query.port === null
            ? undefined
            : ': a UDP bind of an fd has a null address and port';
        }
        return (fd === undefined || fd === -1) &&
          port(query.port) === undefined &&
          typeof address === 'string' &&
          isIP(address) === (query.addressType === 'udp4' ? 4 : 6)
          ? undefined
          : ': a UDP bind has an IP address of its type and a port from 0 to 65535';
    }
  },
);

/** Port-sharing acts, both sides' (workers check what the primary sends them, and the other way round). */
export const PORTS_ACTS = {
  queryServer: {
    body: serverQuery,
    reply: shape.object({
      errno: shape.integer(-4095, 0),
      key,
      sockname: shape.optional(shape.unknown),
      data: shape.optional(shape.unknown),
      mode: shape.oneOf('rr', 'shared', 'balanced'),
    }),
    // A shared (SCHED_NONE or UDP) listener arrives as the reply's handle.
    replyHandle: 'optional',
  },
  close: { body: shape.object({ key }) },
  listening: {
    body: shape.object({
      addressType: shape.nullable(shape.oneOf(4, 6, -1, 'udp4', 'udp6')),
      address: shape.nullable(address),
      port: shape.nullable(shape.integer(-1, 65535)),
      fd: shape.optional(shape.integer(-1, INT32_MAX)),
    }),
  },
  load: {
    body: shape.object({
      counts: shape.array(shape.tuple(key, shape.integer(0, INT32_MAX)), MAX_LOAD_ENTRIES),
    }),
  },
  accepts: {
    body: shape.object({
      key,
      accepted: shape.integer(0, Number.MAX_SAFE_INTEGER),
      connections: shape.integer(0, INT32_MAX),
      unsteerable: flag,
    }),
  },
  steer: { body: shape.object({ key, paused: shape.boolean }) },
  probe: { body: shape.object({ key }) },
  newconn: {
    body: shape.object({ key }),
    handle: 'required',
    reply: shape.object({ accepted: shape.boolean, connections: shape.integer(0, INT32_MAX) }),
  },
} as const satisfies ActShapes & { queryServer: ActShape<ServerQuery> };
