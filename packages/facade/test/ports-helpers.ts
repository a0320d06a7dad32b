import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceEvent } from '@cluster/test-utils';

/** A fixture of this package's test/fixtures directory. */
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Fixtures resolve "ours" to the facade, not to @cluster/core (which sits above it). */
export const OURS = { CLUSTER_OURS: '@cluster/facade' };

/** A self-signed key and certificate for localhost, made with openssl in a fresh temp dir. */
export function createTestCertificate(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cluster-ports-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore' },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The trace events named `event`, without the fields that differ from run to run. */
export function eventsNamed(trace: readonly TraceEvent[], event: string): TraceEvent[] {
  return trace.filter((entry) => entry.event === event);
}

/** Listening address objects with the port replaced by whether it is a real port (ephemeral ports differ). */
export function addressShapes(trace: readonly TraceEvent[]): unknown[] {
  return eventsNamed(trace, 'listening')
    .map((entry) => {
      const address = { ...(entry.address as Record<string, unknown>) };
      if (typeof address.port === 'number') address.port = address.port > 0 ? 'port' : address.port;
      return { worker: entry.worker, address };
    })
    .sort((a, b) => Number(a.worker) - Number(b.worker));
}

/**
 * A trace as a sorted list of comparable lines: ephemeral ports become `'port'`, `run` (a pid in file names)
 * becomes `RUN`, so that node:cluster's and our runs of one fixture compare equal. Workers' interleaving is
 * the OS's, so the lines are sorted.
 */
export function normalized(trace: readonly TraceEvent[], run?: string): string[] {
  return trace
    .map((entry) => {
      let text = JSON.stringify(entry, (key, value) =>
        key === 'port' && typeof value === 'number' && value > 0 ? 'port' : value,
      );
      if (run !== undefined) text = text.split(run).join('RUN');
      return text;
    })
    .sort();
}
