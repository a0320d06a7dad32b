import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PortPeer } from './peer.ts';
import {
  ACCEPT_MEMORY,
  BALANCE_SLACK,
  IDLE_RESUME_MS,
  OPEN_WEIGHT,
  STALE_AFTER_MS,
  Steering,
  type SteeringOrder,
} from './steering.ts';

const peer = (id: number) => ({ id }) as unknown as PortPeer;

function setup(count: number) {
  const peers = Array.from({ length: count }, (_, index) => peer(index + 1));
  const orders: Array<[number, SteeringOrder]> = [];
  const steering = new Steering((to, order) => orders.push([to.id, order]));
  for (const each of peers) steering.join(each);
  const paused = () => peers.filter((each) => steering.isPaused(each)).map((each) => each.id);
  return { peers, orders, steering, paused };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Steering', () => {
  it('pauses a worker that leads by more than the slack, and resumes it at half the slack', () => {
    const { peers, steering, paused } = setup(2);
    const [one, two] = peers as [PortPeer, PortPeer];
    steering.report(one, BALANCE_SLACK, 0, false);
    expect(paused()).toEqual([]);
    steering.report(one, BALANCE_SLACK + 1, 0, false);
    expect(paused()).toEqual([1]);
    steering.report(two, BALANCE_SLACK / 2, 0, false);
    expect(paused()).toEqual([1]);
    steering.report(two, BALANCE_SLACK / 2 + 1, 0, false);
    expect(paused()).toEqual([]);
    steering.dispose();
  });

  it('weighs open connections, and never pauses the lowest', () => {
    const { peers, steering, paused } = setup(3);
    const [one, two, three] = peers as [PortPeer, PortPeer, PortPeer];
    steering.report(one, 5, 3, false);
    steering.report(two, 5, 3, false);
    expect(3 * OPEN_WEIGHT).toBeGreaterThan(BALANCE_SLACK);
    expect(paused()).toEqual([1, 2]);
    steering.report(three, 100, 0, false);
    // Worker 3 accepted far more, but remembered at most ACCEPT_MEMORY ahead: still someone accepts.
    expect(paused().length).toBeLessThan(3);
    steering.dispose();
  });

  it('does not pause a worker ahead in accepts that holds fewer connections than the lowest (the faster one)', () => {
    const { peers, steering, paused } = setup(2);
    const [fast, slow] = peers as [PortPeer, PortPeer];
    steering.report(slow, 0, 1, false);
    steering.report(fast, BALANCE_SLACK + OPEN_WEIGHT + 4, 0, false);
    expect(paused()).toEqual([]);
    steering.report(slow, 0, 0, false);
    expect(paused()).toEqual([1]);
    steering.dispose();
  });

  it('resumes the next lowest at once when the one accepting leaves', () => {
    const { peers, steering, paused } = setup(2);
    const [one, two] = peers as [PortPeer, PortPeer];
    steering.report(one, 40, 0, false);
    expect(paused()).toEqual([1]);
    steering.leave(two);
    expect(paused()).toEqual([]);
    steering.dispose();
  });

  it('leaves out a worker that stops answering probes, and takes it back owed at most ACCEPT_MEMORY', () => {
    const { peers, orders, steering, paused } = setup(2);
    const [one, two] = peers as [PortPeer, PortPeer];
    steering.report(one, 40, 0, false);
    expect(paused()).toEqual([1]);
    // Worker 1 (paused) keeps reporting; worker 2, the one accepting, is probed and never answers.
    for (let elapsed = 0; elapsed <= STALE_AFTER_MS + 40; elapsed += 10) {
      vi.advanceTimersByTime(10);
      steering.report(one, 40, 0, false);
    }
    expect(orders.some(([id, order]) => id === 2 && order.act === 'probe')).toBe(true);
    expect(paused()).toEqual([]);
    // Worker 1 takes everything while worker 2 is out, far more than the memory.
    let accepted = 40;
    for (let elapsed = 0; elapsed < 200; elapsed += 10) {
      vi.advanceTimersByTime(10);
      accepted += 10;
      steering.report(one, accepted, 0, false);
    }
    expect(paused()).toEqual([]);
    // Worker 2 comes back: it is owed what it missed, but at most ACCEPT_MEMORY (a short catch-up, no flood).
    steering.report(two, 1, 0, false);
    expect(paused()).toEqual([1]);
    steering.report(two, ACCEPT_MEMORY - BALANCE_SLACK / 2 - 1, 0, false);
    expect(paused()).toEqual([1]);
    steering.report(two, ACCEPT_MEMORY - BALANCE_SLACK / 2 + 1, 0, false);
    expect(paused()).toEqual([]);
    steering.dispose();
  });

  it('resumes everyone once nothing is accepted, so that nothing runs while idle', () => {
    const { peers, steering, paused } = setup(2);
    steering.report(peers[0] as PortPeer, 40, 0, false);
    expect(paused()).toEqual([1]);
    vi.advanceTimersByTime(IDLE_RESUME_MS + 50);
    expect(paused()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps a held worker paused and out of the scoring until released (cluster.pauseConnections)', () => {
    const { peers, steering, paused } = setup(2);
    const [one, two] = peers as [PortPeer, PortPeer];
    steering.hold(one);
    expect(paused()).toEqual([1]);
    // Worker 2 leads nobody: the held one does not count as the lowest.
    steering.report(two, 100, 5, false);
    expect(paused()).toEqual([1]);
    steering.release(one);
    expect(paused()).toEqual([2]);
    steering.dispose();
  });

  it('gives up steering for good when a worker reports that pausing does not work', () => {
    const { peers, steering, paused } = setup(2);
    const [one] = peers as [PortPeer];
    steering.report(one, 40, 0, false);
    expect(paused()).toEqual([1]);
    steering.report(one, 41, 0, true);
    expect(steering.steerable).toBe(false);
    expect(paused()).toEqual([]);
    steering.report(one, 400, 0, false);
    expect(paused()).toEqual([]);
  });
});
