import { formatDuration } from './duration.ts';
import type { InstanceSnapshot } from './run/snapshot.ts';

/** Rows under a header, each column as wide as its widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** `45.3 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

const dash = (value: string | undefined) => value ?? '-';

/** `cluster status`: a line about the instance, then its workers. */
export function formatStatus(snapshot: InstanceSnapshot): string {
  const where = snapshot.addresses.length > 0 ? `  ${snapshot.addresses.join(', ')}` : '';
  const head = `${snapshot.name}  pid ${snapshot.pid}  ${snapshot.state}  up ${formatDuration(snapshot.uptime)}  ${snapshot.ready}/${snapshot.workers.length} ready${where}\n`;
  const rows = snapshot.workers.map((worker) => [
    String(worker.slot),
    dash(worker.pid?.toString()),
    worker.state,
    worker.state === 'ready' ? formatDuration(worker.uptime) : '-',
    String(worker.restarts),
    worker.cpu === null ? '-' : `${worker.cpu.toFixed(1)}%`,
    worker.memory === null ? '-' : formatBytes(worker.memory),
    dash(worker.connections?.toString()),
  ]);
  return `${head}${table(['SLOT', 'PID', 'STATE', 'UPTIME', 'RESTARTS', 'CPU', 'MEMORY', 'CONNECTIONS'], rows)}`;
}

/** `cluster ls`. */
export function formatList(snapshots: readonly InstanceSnapshot[]): string {
  const rows = snapshots.map((snapshot) => [
    snapshot.name,
    String(snapshot.pid),
    `${snapshot.ready}/${snapshot.workers.length}`,
    snapshot.state,
    formatDuration(snapshot.uptime),
    dash(snapshot.addresses[0]),
    snapshot.app,
  ]);
  return table(['NAME', 'PID', 'READY', 'STATE', 'UPTIME', 'ADDRESS', 'APP'], rows);
}
