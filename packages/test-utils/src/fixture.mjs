// Imported by trace fixtures: picks node:cluster or ours, and prints trace lines.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const impl = process.env.CLUSTER_IMPL ?? 'ours';

/** @cluster/core as the program under test resolves it (this helper's package does not depend on it). */
function oursUrl() {
  const from = process.argv[1] ? pathToFileURL(process.argv[1]).href : pathToFileURL(`${process.cwd()}/`).href;
  return pathToFileURL(createRequire(from).resolve('@cluster/core')).href;
}

/** The cluster module under test. */
export const cluster = impl === 'node' ? (await import('node:cluster')).default : (await import(oursUrl())).default;

/** Prints one trace event; values must be JSON-safe. */
export function trace(event, fields = {}) {
  process.stdout.write(`TRACE ${JSON.stringify({ event, ...fields })}\n`);
}
