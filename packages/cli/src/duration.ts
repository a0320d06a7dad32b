const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `setTimeout`'s ceiling. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** A duration in ms from a number (ms) or a string: `500`, `500ms`, `30s`, `1.5m`, `1h`; `undefined` if it is none. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 && value <= MAX_DURATION_MS ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (match === null) return undefined;
  const ms = Math.round(Number(match[1]) * (UNITS[match[2] ?? 'ms'] as number));
  return ms <= MAX_DURATION_MS ? ms : undefined;
}

/** `1234` → `1.2 s`, `65_000` → `1m 5s`: for people. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1_000);
  const [d, h, m, s] = [
    Math.floor(seconds / 86_400),
    Math.floor(seconds / 3_600) % 24,
    Math.floor(seconds / 60) % 60,
    seconds % 60,
  ];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${s}s`;
}
