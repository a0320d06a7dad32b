import { harnessCpu, machineBusy } from './proc.ts';
import type { Sample } from './results.ts';

/** Other load (in cores, averaged over a run) above which the run is repeated. */
export const DISTURBED_CORES = 0.15;
/** Repeats of a disturbed run before it is kept anyway (and flagged). */
export const MAX_REPEATS = 2;

export interface Context {
  smoke: boolean;
  /** Interleaved repetitions of every configuration. */
  reps: number;
  log(message: string): void;
  repeated: number;
  disturbed: number;
}

/**
 * Runs `fn` (which must start, measure and reap all its processes) and measures how much CPU the rest
 * of the machine used meanwhile: /proc/stat's busy time minus what this harness and its reaped
 * descendants used. A run that other load disturbed is repeated.
 */
export async function measured(ctx: Context, label: string, fn: () => Promise<Sample>): Promise<Sample> {
  for (let attempt = 0; ; attempt++) {
    const busy = machineBusy();
    const cpu = harnessCpu();
    const started = performance.now();
    let sample: Sample;
    try {
      sample = await fn();
    } catch (error) {
      // A run that failed (a lost message, a start-up that timed out under load) is run again.
      if (attempt >= MAX_REPEATS) throw error;
      ctx.repeated++;
      ctx.log(
        `  ${label}: failed, repeating: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
      continue;
    }
    const wallUs = (performance.now() - started) * 1e3;
    const other = Math.max(0, machineBusy() - busy - (harnessCpu() - cpu)) / wallUs;
    sample.otherLoadCores = other;
    const disturbed = other > DISTURBED_CORES;
    // A smoke run only checks that everything runs: no repeats.
    if (!disturbed || attempt >= (ctx.smoke ? 0 : MAX_REPEATS)) {
      if (disturbed) ctx.disturbed++;
      ctx.log(`  ${label}: ${describe(sample)}${disturbed ? ' (disturbed, kept)' : ''}`);
      return sample;
    }
    ctx.repeated++;
    ctx.log(`  ${label}: disturbed by ${other.toFixed(2)} cores of other load, repeating`);
  }
}

function describe(sample: Sample): string {
  return Object.entries(sample)
    .map(([key, value]) => `${key}=${Number.isInteger(value) ? value : value.toPrecision(4)}`)
    .join(' ');
}
