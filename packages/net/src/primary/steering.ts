import type { PortPeer } from './peer.ts';

/** How far (in score units: one accepted connection is 1) a worker may lead the lowest before it is paused. */
export const BALANCE_SLACK = 16;
/** What one open connection weighs against one accepted: long-lived connections balance like least-connections. */
export const OPEN_WEIGHT = 8;
/** The most accepted connections a worker is remembered to be ahead (or, while blocked, behind) by: older history is forgiven. */
export const ACCEPT_MEMORY = 4 * BALANCE_SLACK;
/** While someone is paused, how often the primary checks that the workers left accepting still answer. */
export const PROBE_INTERVAL_MS = 20;
/** A worker that has not answered for this long is left out of the scoring (its loop is blocked). */
export const STALE_AFTER_MS = 60;
/** With no accept reported for this long, every worker is resumed and steering sleeps (nothing runs while idle). */
export const IDLE_RESUME_MS = 250;

/** What the primary tells a worker about one balanced listener. */
export type SteeringOrder = { act: 'steer'; paused: boolean } | { act: 'probe' };

interface Seat {
  /** The accepted count the worker last reported (it counts from its listen). */
  reported: number;
  /** Accepted, relative to the lowest live worker, within ±`ACCEPT_MEMORY` (below zero only while stale). */
  ahead: number;
  open: number;
  /** What the primary last told it. */
  paused: boolean;
  /** Left out of the scoring until it reports again. */
  stale: boolean;
  lastSeen: number;
  lastProbe: number;
}

/**
 * The primary's half of the balanced kernel-accept mode for one listener: every worker accepts on the
 * shared handle, and a worker whose score (`ahead + OPEN_WEIGHT × open`) leads the lowest live worker's by
 * more than `BALANCE_SLACK` is told to pause, and to resume once it leads by half that. The lowest live worker
 * is never paused, so someone is always accepting; one that stops answering is left out, and the next lowest
 * resumed. Orders are state, not deltas: each is sent when the primary's view changes and the channel keeps
 * their order, so a worker ends in the state the primary last chose.
 */
export class Steering {
  readonly #seats = new Map<PortPeer, Seat>();
  /** Paused by `hold()` (a supervisor draining it), seated or not yet. */
  readonly #held = new Set<PortPeer>();
  readonly #send: (peer: PortPeer, order: SteeringOrder) => void;
  readonly #now: () => number;
  #steerable = true;
  #timer: NodeJS.Timeout | null = null;
  #lastAccept = 0;
  #pauses = 0;

  constructor(send: (peer: PortPeer, order: SteeringOrder) => void, now: () => number = Date.now) {
    this.#send = send;
    this.#now = now;
  }

  /** False once a worker reported that pausing does not work here: the listener is plain SCHED_NONE from then on. */
  get steerable(): boolean {
    return this.#steerable;
  }

  /** How many pause orders were sent so far. */
  get pauses(): number {
    return this.#pauses;
  }

  /** Whether the primary has told `peer` to pause (for tests and stats). */
  isPaused(peer: PortPeer): boolean {
    return this.#seats.get(peer)?.paused === true;
  }

  /** The ids of the workers told to pause now. */
  pausedIds(): number[] {
    return [...this.#seats].filter(([, seat]) => seat.paused).map(([peer]) => peer.id);
  }

  /** A worker got the shared handle: it starts level with the lowest, so it gets no catch-up flood. */
  join(peer: PortPeer): void {
    if (this.#seats.has(peer)) return;
    const now = this.#now();
    this.#seats.set(peer, {
      reported: 0,
      ahead: 0,
      open: 0,
      paused: false,
      stale: false,
      lastSeen: now,
      lastProbe: now,
    });
    this.#steer();
  }

  /** A worker closed its server, disconnected or died: the rest are scored again at once. */
  leave(peer: PortPeer): void {
    this.#held.delete(peer);
    if (!this.#seats.delete(peer)) return;
    this.#steer();
  }

  /** `cluster.pauseConnections(worker)`: paused until `release`, whatever its score, and left out of the scoring. */
  hold(peer: PortPeer): void {
    this.#held.add(peer);
    this.#steer();
  }

  /** Undoes `hold`. */
  release(peer: PortPeer): void {
    if (!this.#held.delete(peer)) return;
    const seat = this.#seats.get(peer);
    if (seat !== undefined) seat.ahead = 0;
    this.#steer();
  }

  /** A worker's report: connections accepted since it listened, and open now. */
  report(peer: PortPeer, accepted: number, open: number, unsteerable: boolean): void {
    const seat = this.#seats.get(peer);
    if (seat === undefined) return;
    if (unsteerable) {
      this.#giveUp();
      return;
    }
    const now = this.#now();
    const delta = Math.max(0, accepted - seat.reported);
    seat.reported = accepted;
    seat.open = open;
    seat.lastSeen = now;
    if (delta > 0) this.#lastAccept = now;
    // Back from a blocked loop, it is behind by what it missed, at most ACCEPT_MEMORY: a short catch-up, no flood.
    seat.stale = false;
    seat.ahead += delta;
    this.#steer();
  }

  /** Stops the timer; the listener closed. */
  dispose(): void {
    this.#stopTimer();
    this.#seats.clear();
  }

  #giveUp(): void {
    this.#steerable = false;
    this.#stopTimer();
    // From here on plain SCHED_NONE: a worker paused by hold() may still take connections.
    for (const [peer, seat] of this.#seats) this.#order(peer, seat, false);
  }

  /** Resumes everyone not held. */
  #resumeAll(): void {
    for (const [peer, seat] of this.#seats) this.#order(peer, seat, this.#held.has(peer));
  }

  #steer(): void {
    if (!this.#steerable) return;
    for (const peer of this.#held) {
      const seat = this.#seats.get(peer);
      if (seat !== undefined) this.#order(peer, seat, true);
    }
    const live = [...this.#seats].filter(([peer, seat]) => !seat.stale && !this.#held.has(peer));
    if (live.length === 0) {
      this.#resumeAll();
      this.#stopTimer();
      return;
    }
    let lowestAhead = Number.POSITIVE_INFINITY;
    for (const [, seat] of live) lowestAhead = Math.min(lowestAhead, seat.ahead);
    // Stale seats move with the baseline too, so that one coming back is scored on the same scale as the rest.
    for (const [peer, seat] of this.#seats) {
      if (!this.#held.has(peer)) seat.ahead = clamp(seat.ahead - lowestAhead, ACCEPT_MEMORY);
    }
    let lowest = Number.POSITIVE_INFINITY;
    let lowestOpen = 0;
    for (const [, seat] of live) {
      if (score(seat) < lowest) {
        lowest = score(seat);
        lowestOpen = seat.open;
      }
    }
    let anyPaused = false;
    for (const [peer, seat] of live) {
      const lead = score(seat) - lowest;
      // A worker holding fewer connections than the lowest-scoring one is ahead only in what it finished: it is
      // the faster one (or the other is busy), and pausing it would send the next connections to the busier.
      const lighter = seat.open < lowestOpen;
      if (!lighter && (seat.paused ? lead > BALANCE_SLACK / 2 : lead > BALANCE_SLACK)) {
        this.#order(peer, seat, true);
      } else {
        this.#order(peer, seat, false);
      }
      anyPaused ||= seat.paused;
    }
    for (const [peer, seat] of this.#seats) anyPaused ||= seat.paused && !this.#held.has(peer);
    if (anyPaused) this.#startTimer();
    else this.#stopTimer();
  }

  #order(peer: PortPeer, seat: Seat, paused: boolean): void {
    if (seat.paused === paused) return;
    seat.paused = paused;
    if (paused) this.#pauses += 1;
    this.#send(peer, { act: 'steer', paused });
  }

  #startTimer(): void {
    if (this.#timer !== null) return;
    this.#lastAccept = Math.max(this.#lastAccept, this.#now() - PROBE_INTERVAL_MS);
    this.#timer = setInterval(() => this.#tick(), PROBE_INTERVAL_MS);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Runs only while someone is paused. */
  #tick(): void {
    const now = this.#now();
    if (now - this.#lastAccept > IDLE_RESUME_MS) {
      // Nothing is arriving: resume everyone, so that nothing runs while idle; the next burst steers again.
      this.#resumeAll();
      this.#stopTimer();
      return;
    }
    let changed = false;
    for (const [peer, seat] of this.#seats) {
      if (seat.stale || seat.paused || this.#held.has(peer)) continue;
      if (now - seat.lastSeen > STALE_AFTER_MS) {
        seat.stale = true;
        changed = true;
      } else if (now - seat.lastSeen >= PROBE_INTERVAL_MS && now - seat.lastProbe >= PROBE_INTERVAL_MS) {
        seat.lastProbe = now;
        this.#send(peer, { act: 'probe' });
      }
    }
    if (changed) this.#steer();
  }
}

/** `value` limited to ±`bound`. */
function clamp(value: number, bound: number): number {
  return Math.max(-bound, Math.min(value, bound));
}

function score(seat: Seat): number {
  return seat.ahead + OPEN_WEIGHT * seat.open;
}
