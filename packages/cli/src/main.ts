import { closest } from './closest.ts';
import type { Command } from './command.ts';
import { lsCommand } from './commands/ls.ts';
import { reloadCommand } from './commands/reload.ts';
import { runCommand } from './commands/run.ts';
import { scaleCommand } from './commands/scale.ts';
import { statusCommand } from './commands/status.ts';
import { stopCommand } from './commands/stop.ts';
import { cliError, isCliError } from './errors.ts';
import { EXIT_CODES } from './exit-codes.ts';
import { mainHelp } from './help.ts';
import type { CliIo } from './io.ts';
import { VERSION } from './version.ts';

/** Every command, in the order `cluster --help` lists them. */
export const COMMANDS: readonly Command[] = [
  runCommand,
  lsCommand,
  statusCommand,
  reloadCommand,
  scaleCommand,
  stopCommand,
];

/**
 * The `cluster` command line: runs one command and resolves with the exit status. A user's mistake
 * (`isCliError`) is printed as a message with its code and a hint, never as a stack trace.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined;
      if (topic !== undefined) return await topic.run(['--help'], io);
      io.stdout.write(mainHelp(COMMANDS));
      return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
    }
    if (name === '-v' || name === '--version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_CODES.ok;
    }
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (command === undefined) {
      const names = COMMANDS.map((candidate) => candidate.name);
      const suggestion = closest(name, [...names, 'list', 'start', 'restart', 'ps']);
      const meant = { list: 'ls', ps: 'ls', start: 'run', restart: 'reload' }[suggestion ?? ''] ?? suggestion;
      throw cliError(
        'ERR_CLUSTER_UNKNOWN_COMMAND',
        name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`,
        {
          hint: `${meant === undefined ? '' : `Did you mean 'cluster ${meant}'? `}The commands are ${names.join(', ')} ('cluster --help').`,
        },
      );
    }
    return await command.run(rest, io);
  } catch (error) {
    if (!isCliError(error)) throw error;
    io.stderr.write(`cluster: ${error.message} [${error.code}]\n`);
    if (error.hint !== undefined) io.stderr.write(`${error.hint}\n`);
    return error.exitCode;
  }
}
