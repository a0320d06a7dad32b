import type { IpcEndpoint } from './endpoint.ts';

/** How many invalid frames one channel reports as warnings before it stops, so a flood cannot flood stderr. */
export const MAX_INVALID_WARNINGS = 10;

/** Receives an invalid frame's error (`ERR_CLUSTER_IPC_INVALID_FRAME`, `ERR_CLUSTER_IPC_UNKNOWN_ACT`). */
export type InvalidFrameReporter = (error: Error & { code: string }) => void;

/** Who sent what arrives on an endpoint, as warnings name it. */
export function peerLabel(endpoint: IpcEndpoint): string {
  if (endpoint === (process as unknown as IpcEndpoint)) return 'the parent process';
  const { pid } = endpoint as { pid?: unknown };
  return typeof pid === 'number' ? `child process ${pid}` : 'the peer';
}

/**
 * Reports invalid frames as process warnings (type `'ClusterWarning'`, the error's code), the
 * first `MAX_INVALID_WARNINGS` of them, then once more to say that the rest go unreported.
 */
export function warnInvalidFrames(label: () => string): InvalidFrameReporter {
  let reported = 0;
  return (error) => {
    if (reported >= MAX_INVALID_WARNINGS) return;
    reported++;
    const more = reported === MAX_INVALID_WARNINGS ? ` (further invalid frames from ${label()} are not reported)` : '';
    process.emitWarning(`${label()} sent an invalid frame: ${error.message}${more}`, {
      type: 'ClusterWarning',
      code: error.code,
    });
  };
}
