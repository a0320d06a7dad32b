import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardChildProcessTraffic } from './internal-guard.ts';

function guarded(handleQueue: unknown) {
  const endpoint = Object.assign(new EventEmitter(), { _handleQueue: handleQueue });
  const reported: string[] = [];
  const seen: unknown[] = [];
  // child_process's own listener, which asserts what it gets (and is found by what it handles).
  endpoint.on('internalMessage', (message: { cmd?: string }) => {
    if (message.cmd === 'NODE_HANDLE_ACK') seen.push(message);
    else seen.push(message);
  });
  const others: unknown[] = [];
  endpoint.on('internalMessage', (message: unknown) => others.push(message));
  guardChildProcessTraffic(endpoint, (error) => reported.push(`${error.code}: ${error.message}`));
  return { endpoint, reported, seen, others };
}

const handle = () => {
  const h = { closed: 0, close() {} };
  h.close = () => {
    h.closed++;
  };
  return h;
};

describe('guardChildProcessTraffic', () => {
  it('drops a handle acknowledgement nothing waits for, and reports it', () => {
    const { endpoint, reported, seen } = guarded(null);
    endpoint.emit('internalMessage', { cmd: 'NODE_HANDLE_ACK' });
    endpoint.emit('internalMessage', { cmd: 'NODE_HANDLE_NACK' });
    expect(seen).toEqual([]);
    expect(reported).toEqual([
      'ERR_CLUSTER_IPC_INVALID_FRAME: NODE_HANDLE_ACK with no handle awaiting one',
      'ERR_CLUSTER_IPC_INVALID_FRAME: NODE_HANDLE_NACK with no handle awaiting one',
    ]);
  });

  it('lets an acknowledgement through while a sent handle awaits one', () => {
    const { endpoint, reported, seen } = guarded([]);
    endpoint.emit('internalMessage', { cmd: 'NODE_HANDLE_ACK' });
    expect(seen).toEqual([{ cmd: 'NODE_HANDLE_ACK' }]);
    expect(reported).toEqual([]);
  });

  it('drops a NODE_HANDLE of an unknown type or nested in another, closing its handle', () => {
    const { endpoint, reported, seen } = guarded(null);
    const raw = handle();
    endpoint.emit('internalMessage', { cmd: 'NODE_HANDLE', type: 'bogus', msg: {} }, raw);
    const rebuilt = Object.assign(new EventEmitter(), { destroyed: 0, destroy() {} });
    endpoint.emit('internalMessage', { cmd: 'NODE_HANDLE', type: 'net.Socket', msg: {} }, rebuilt);
    expect(seen).toEqual([]);
    expect(raw.closed).toBe(1);
    expect(reported).toHaveLength(2);
    // A real one: a raw handle, a known type.
    endpoint.emit('internalMessage', { cmd: 'NODE_HANDLE', type: 'net.Socket', msg: {} }, handle());
    expect(seen).toHaveLength(1);
  });

  it('keeps every other listener, in its place, seeing every message', () => {
    const { endpoint, seen, others } = guarded(null);
    endpoint.emit('internalMessage', { cmd: 'NODE_HANDLE_ACK' });
    endpoint.emit('internalMessage', { cmd: 'NODE_CLUSTER_IPC', k: 'note' });
    expect(seen).toEqual([{ cmd: 'NODE_CLUSTER_IPC', k: 'note' }]);
    expect(others).toEqual([{ cmd: 'NODE_HANDLE_ACK' }, { cmd: 'NODE_CLUSTER_IPC', k: 'note' }]);
  });
});
