import { describe, expect, it } from 'vitest';
import { OperationQueue } from './operation-queue.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('OperationQueue', () => {
  it('runs operations one after another, in order, whatever each one ends with', async () => {
    const queue = new OperationQueue();
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run(async () => {
      order.push('first starts');
      await gate.promise;
      order.push('first ends');
      throw new Error('first failed');
    });
    const second = queue.run(async () => {
      order.push('second');
      return 2;
    });
    await Promise.resolve();
    expect(order).toEqual(['first starts']);
    gate.resolve();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe(2);
    expect(order).toEqual(['first starts', 'first ends', 'second']);
  });

  it('joins operations asked for under a key while one with that key waits to start, not once it runs', async () => {
    const queue = new OperationQueue();
    let runs = 0;
    const gate = deferred();
    const task = async () => {
      runs += 1;
      await gate.promise;
      return runs;
    };
    const running = queue.run(task, 'reload');
    await Promise.resolve();
    const next = queue.run(task, 'reload');
    const joined = queue.run(task, 'reload');
    expect(joined).toBe(next);
    gate.resolve();
    expect(await running).toBe(1);
    expect(await next).toBe(2);
    expect(runs).toBe(2);
  });

  it('once closed, refuses new operations and fails those not yet started with the error', async () => {
    const queue = new OperationQueue();
    const gate = deferred();
    const running = queue.run(() => gate.promise.then(() => 'done'));
    const waiting = queue.run(async () => 'never');
    await Promise.resolve();
    queue.close(Object.assign(new Error('stopped'), { code: 'ERR_CLUSTER_SUPERVISOR_STOPPED' }));
    gate.resolve();
    await expect(running).resolves.toBe('done');
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_CLUSTER_SUPERVISOR_STOPPED' });
    await expect(queue.run(async () => 1)).rejects.toMatchObject({ code: 'ERR_CLUSTER_SUPERVISOR_STOPPED' });
  });
});
