// Imported by trace fixtures: picks node:cluster or ours, and prints trace lines.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const impl = process.env.CLUSTER_IMPL ?? 'ours';

/**
 * Our cluster as the program under test resolves it (this helper's package depends on none of ours):
 * `@cluster/core` unless `CLUSTER_OURS` names another package (`@cluster/facade` in the facade's own tests).
 */
function oursUrl() {
  const from = process.argv[1] ? pathToFileURL(process.argv[1]).href : pathToFileURL(`${process.cwd()}/`).href;
  return pathToFileURL(createRequire(from).resolve(process.env.CLUSTER_OURS ?? '@cluster/core')).href;
}

/** The cluster module under test. */
export const cluster = impl === 'node' ? (await import('node:cluster')).default : (await import(oursUrl())).default;

/** Prints one trace event; values must be JSON-safe. */
export function trace(event, fields = {}) {
  process.stdout.write(`TRACE ${JSON.stringify({ event, ...fields })}\n`);
}
