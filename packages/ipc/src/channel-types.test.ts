import { EventEmitter } from 'node:events';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Channel, createChannel } from './channel.ts';

// Declared as interfaces, as users write them: no index signature.
interface ChildApi {
  add(body: { a: number; b: number }): number;
  slow(body: string): Promise<{ done: boolean }>;
}
interface ParentApi {
  log(body: string): void;
}

// Checked by the compiler only; never run.
function typeChecks(channel: Channel<ParentApi, ChildApi>): void {
  expectTypeOf(channel.request('add', { a: 1, b: 2 })).toEqualTypeOf<Promise<number>>();
  expectTypeOf(channel.request('slow', 'x')).toEqualTypeOf<Promise<{ done: boolean }>>();
  expectTypeOf(channel.notify('add', { a: 1, b: 2 })).toEqualTypeOf<boolean>();
  channel.handle('log', (line) => {
    expectTypeOf(line).toEqualTypeOf<string>();
  });
  // @ts-expect-error: not an act of the child
  void channel.request('nope', null);
  // @ts-expect-error: wrong body
  void channel.request('add', { a: 'one', b: 2 });
  // @ts-expect-error: the parent answers only `log`
  channel.handle('add', () => 1);
}

describe('channel types', () => {
  it('accepts interfaces as APIs', () => {
    const channel = createChannel<ParentApi, ChildApi>(new EventEmitter(), { namespace: 't' });
    expect(typeof typeChecks).toBe('function');
    expect(channel.isOpen).toBe(false);
    channel.close();
  });
});
