import { closest } from './closest.ts';
import { cliError } from './errors.ts';

/** A flag as the parser knows it. */
export interface FlagSpec {
  /** Where its value goes in `ParsedArgs.flags`. */
  readonly key: string;
  readonly flag: string;
  readonly short?: string;
  /** The value's name in help; a flag without one is a switch. */
  readonly value?: string;
  readonly repeatable?: boolean;
}

/** A command line taken apart. */
export interface ParsedArgs {
  /** By key: a switch's `true`, a value's text, a repeatable flag's texts. */
  readonly flags: Map<string, string | true | string[]>;
  /** Where each flag came from, by key (`--workers`), for error messages. */
  readonly given: Map<string, string>;
  readonly positionals: string[];
  /** What came after `--`, if it did. */
  readonly rest: string[] | undefined;
  /** `-h` or `--help` was given. */
  readonly help: boolean;
}

const HELP = ['-h', '--help'];

/**
 * Splits `argv` by the flags of one command: `--flag value`, `--flag=value`, `-f value`, switches, and
 * everything after `--` untouched. An unknown flag is an error naming the closest known one.
 */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const spec of specs) {
    byName.set(spec.flag, spec);
    if (spec.short !== undefined) byName.set(spec.short, spec);
  }
  const flags = new Map<string, string | true | string[]>();
  const given = new Map<string, string>();
  const positionals: string[] = [];
  let rest: string[] | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    if (HELP.includes(arg)) {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const spec = byName.get(name);
    if (spec === undefined) throw unknownFlag(name, [...byName.keys(), ...HELP], command, positionals.length > 0);
    let value: string | true;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (spec.value === undefined) value = true;
    else {
      const next = argv[i + 1];
      if (next === undefined || next === '--' || (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next))) {
        throw cliError('ERR_CLUSTER_MISSING_ARGUMENT', `${name} needs a value: ${spec.value}`, {
          hint: `Run 'cluster ${command} --help' for its options.`,
        });
      }
      value = next;
      i++;
    }
    given.set(spec.key, name);
    if (spec.repeatable === true) {
      const list = flags.get(spec.key);
      flags.set(spec.key, [...(Array.isArray(list) ? list : []), value === true ? 'true' : value]);
    } else flags.set(spec.key, value);
  }
  return { flags, given, positionals, rest, help };
}

function unknownFlag(name: string, known: string[], command: string, afterApp: boolean) {
  const suggestion = closest(
    name,
    known.filter((flag) => flag.startsWith('--') === name.startsWith('--')),
  );
  const hint = [
    suggestion === undefined ? undefined : `Did you mean ${suggestion}?`,
    command === 'run' && afterApp
      ? "Arguments for the app go after '--': cluster run app.js -- --port 3000."
      : undefined,
    `Run 'cluster ${command} --help' for its options.`,
  ]
    .filter((line) => line !== undefined)
    .join(' ');
  return cliError('ERR_CLUSTER_UNKNOWN_OPTION', `unknown option ${name} for 'cluster ${command}'`, { hint });
}
