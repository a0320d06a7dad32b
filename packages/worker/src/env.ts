/**
 * Carries the worker id from the primary to the worker. Node uses
 * NODE_UNIQUE_ID, which would boot Node's own cluster worker in the child;
 * this variable is ours alone, and the worker removes it at start so that
 * processes it spawns start as primaries.
 */
export const WORKER_ID_ENV = 'CLUSTER_WORKER_ID';

/** Reads the worker id and removes it from the environment; `undefined` in a primary. */
export function takeWorkerId(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env[WORKER_ID_ENV];
  if (value === undefined) return undefined;
  delete env[WORKER_ID_ENV];
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
