import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardChildProcessTraffic } from './internal-guard.ts';

function guarded(handleQueue: unknown) {
  const endpoint = Object.assign(new EventEmitter(), { _handleQueue: handleQueue });
  const reported: string[] = [];
  const seen: unknown[] = [];
  // child_process's own listener, which asserts what it gets.
  endpoint.on('internalMessage', (message: unknown) => seen.push(message));
  guardChildProcessTraffic(endpoint, (error) => reported.push(`${error.code}: ${error.message}`));
  return { endpoint, reported, seen };
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

  it('passes every other event with the arguments it was emitted with', () => {
    const { endpoint } = guarded(null);
    const got: unknown[][] = [];
    endpoint.on('exit', (...args: unknown[]) => got.push(args));
    endpoint.on('disconnect', (...args: unknown[]) => got.push(args));
    endpoint.emit('exit', 0, null);
    endpoint.emit('disconnect');
    expect(got).toEqual([[0, null], []]);
  });
});
