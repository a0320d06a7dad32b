/** Whether to colour what goes to `stream`: FORCE_COLOR wins, then NO_COLOR, then whether it is a terminal. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if ((env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.NODE_DISABLE_COLORS !== undefined) return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** A function that wraps text in one SGR style, or leaves it as it is. */
export type Paint = (text: string) => string;

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

/** The styles the CLI uses. */
export interface Palette {
  readonly enabled: boolean;
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
  /** One colour per slot, in turn, so that neighbouring slots' lines look apart. */
  slot(slot: number): Paint;
}

const SLOT_COLORS = [36, 33, 35, 32, 34, 91, 96, 93];
const plain: Paint = (text) => text;

export function createPalette(enabled: boolean): Palette {
  if (!enabled) {
    return {
      enabled,
      bold: plain,
      dim: plain,
      red: plain,
      green: plain,
      yellow: plain,
      cyan: plain,
      slot: () => plain,
    };
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
    slot: (slot) => sgr(SLOT_COLORS[slot % SLOT_COLORS.length] as number, 39),
  };
}
