import { fileURLToPath } from 'node:url';

/** The CLI's worker side (built from worker-preload.cts). */
export const WORKER_PRELOAD = fileURLToPath(new URL('./worker-preload.cjs', import.meta.url));
/** Its entry in the workers' `execArgv`; the preload removes it from `process.execArgv`. */
export const WORKER_PRELOAD_FLAG = `--require=${WORKER_PRELOAD}`;
