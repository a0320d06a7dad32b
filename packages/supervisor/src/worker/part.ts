import type { DrainBody, WorkerSample } from '../protocol.ts';

/**
 * One piece of the supervisor's worker side. The agent runs every part's hooks in order; each hook is
 * optional. Built in: `memory` (the RSS in each heartbeat) and `servers` (draining the worker's servers).
 * A new measurement (a `sample` hook) or a new request of the primary's (an entry in `acts`) is a new part.
 */
export interface WorkerPart {
  /** Named in the worker's hello, so the primary knows what the worker side can do. */
  readonly name: string;
  /** Called once, from the preload, before the worker's own code runs. */
  start?(): void;
  /**
   * Requests of the primary this part answers, by act name (added to `WorkerSupervisorApi`): each gets
   * the request's body and returns the reply, or a promise of it.
   */
  readonly acts?: Readonly<Record<string, (body: unknown) => unknown>>;
  /** Adds this part's figures to a heartbeat sample; called on every beat, from the worker's event loop. */
  sample?(sample: WorkerSample): void;
  /**
   * The primary asked the worker to drain: stop taking new work and let what is in flight finish. The
   * worker answers once every part's promise has settled; the primary's deadline bounds the wait.
   */
  drain?(body: DrainBody): Promise<void> | void;
}
