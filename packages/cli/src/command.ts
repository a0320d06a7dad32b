import type { FlagSpec } from './argv.ts';
import type { CliIo } from './io.ts';

/** A flag with its help line. */
export interface DocumentedFlag extends FlagSpec {
  readonly description: string;
}

/** One `cluster <command>`: its help (which the README repeats) and what it does. */
export interface Command {
  readonly name: string;
  /** `cluster status [name] [--json]`. */
  readonly usage: string;
  /** The line in `cluster --help`'s list: the left column, then the description. */
  readonly synopsis: readonly [string, string];
  /** Paragraphs under the usage line. */
  readonly about: readonly string[];
  readonly flags: readonly DocumentedFlag[];
  readonly examples: readonly string[];
  /** Runs it; resolves with the exit status. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Every command's own help flag. */
export const HELP_FLAG: DocumentedFlag = { key: 'help', flag: '--help', short: '-h', description: 'show this help' };
