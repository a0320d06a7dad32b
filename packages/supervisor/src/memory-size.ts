const UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/**
 * Reads a memory size as PM2's `max_memory_restart` takes it: bytes as a number, or a string such as
 * `'512M'`, `'1.5G'`, `'300K'`, `'1048576'` (K, M, G are powers of 1024; a trailing `B`/`iB` is allowed).
 * Returns `undefined` for anything else.
 */
export function parseMemorySize(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?\s*$/i.exec(value);
  if (match === null) return undefined;
  const bytes = Math.floor(Number(match[1]) * (UNITS[(match[2] ?? '').toUpperCase()] as number));
  return bytes > 0 ? bytes : undefined;
}
