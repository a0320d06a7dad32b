/** What a policy knows of one worker in the pool. */
export interface WorkerLoad {
  /** The worker's id (`worker.id`), stable while it lives. */
  readonly id: number;
  /** A connection was handed to it and not yet acknowledged; a busy worker cannot be picked. */
  readonly busy: boolean;
  /** Open connections the worker last reported for this server. */
  readonly connections: number;
  /** Connections handed to it by this server, acknowledged or not. */
  readonly handed: number;
}

/** What is known of the connection being placed. */
export interface ConnectionInfo {
  /** The client's address; read lazily, so policies that ignore it cost nothing. */
  readonly remoteAddress: string | undefined;
}

/**
 * A balancing policy: one decision method, and optional hooks.
 * Built-ins use only this contract, so a plugin can do all that they do.
 */
export interface SchedulingPolicy {
  /** A short, stable name (`'round-robin'`), shown in metrics and errors. */
  readonly name: string;
  /**
   * Called for every new connection with all live workers of the server, in
   * the order they joined. Returns a worker that is not `busy`, or
   * `undefined` to hold the connection until a worker frees up (the
   * decision is then asked again).
   */
  pick(workers: readonly WorkerLoad[], connection: ConnectionInfo): WorkerLoad | undefined;
  /** Called when a worker joins the server's pool. */
  add?(worker: WorkerLoad): void;
  /** Called when a worker leaves the pool (closed its server, disconnected or died). */
  remove?(worker: WorkerLoad): void;
  /** Called when the shared server closes; release what the policy holds. */
  dispose?(): void;
}

/** A policy factory, the shape plugin authors export. */
export type PolicyFactory<TOptions = void> = (options: TOptions) => SchedulingPolicy;
