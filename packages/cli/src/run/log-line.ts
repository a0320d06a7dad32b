import type { Palette } from './colors.ts';

/** One line a worker printed. */
export interface LogRecord {
  /** When the primary read it (`Date.now()`). */
  readonly time: number;
  readonly slot: number;
  readonly pid: number;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** Turns a record into the text written out, newline included. */
export type LogFormat = (record: LogRecord) => string;

/** `[slot pid] text`, the prefix in the slot's colour when colours are on. */
export function textFormat(palette: Palette): LogFormat {
  return (record) => `${palette.slot(record.slot)(`[${record.slot} ${record.pid}]`)} ${record.text}\n`;
}

/** One JSON object per line, for log shippers: `{"time","slot","pid","stream","text"}`. */
export const jsonFormat: LogFormat = (record) =>
  `${JSON.stringify({
    time: new Date(record.time).toISOString(),
    slot: record.slot,
    pid: record.pid,
    stream: record.stream,
    text: record.text,
  })}\n`;
