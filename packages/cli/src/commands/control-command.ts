import type net from 'node:net';
import { parseArgs } from '../argv.ts';
import type { Command, DocumentedFlag } from '../command.ts';
import { connect } from '../control/control-client.ts';
import { cliError } from '../errors.ts';
import { commandHelp } from '../help.ts';
import type { CliIo } from '../io.ts';
import { show } from '../option-values.ts';

/** Tells the user of each stale socket removed on the way. */
export function staleNotice(io: CliIo): (name: string) => void {
  return (name) => io.stderr.write(`cluster: removed the stale control socket of "${name}" (that instance is gone)\n`);
}

/**
 * The common part of `status`, `reload`, `scale` and `stop`: parse, print help if asked, find the
 * instance (by name, or the only one running), and hand over the connected socket.
 */
export async function controlCommand(
  command: Command,
  argv: readonly string[],
  io: CliIo,
  positionals: number,
  act: (
    socket: net.Socket,
    name: string,
    args: string[],
    flags: Map<string, string | true | string[]>,
  ) => Promise<number>,
  /** Checks the arguments before any instance is looked for. */
  check: (args: string[]) => void = () => {},
): Promise<number> {
  const parsed = parseArgs(argv, command.flags as DocumentedFlag[], command.name);
  if (parsed.help) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  const extra = parsed.rest ?? [];
  if (parsed.positionals.length > positionals || extra.length > 0) {
    throw cliError(
      'ERR_CLUSTER_UNEXPECTED_ARGUMENT',
      `unexpected argument ${show(parsed.positionals[positionals] ?? extra[0])}`,
      {
        hint: `Usage: ${command.usage}`,
      },
    );
  }
  const needed = positionals > 1 ? positionals - 1 : 0;
  const name = parsed.positionals.length > needed ? parsed.positionals[0] : undefined;
  const args = parsed.positionals.slice(name === undefined ? 0 : 1);
  if (args.length < needed) {
    throw cliError(
      'ERR_CLUSTER_MISSING_ARGUMENT',
      `'cluster ${command.name}' needs ${command.usage.split(' ').pop()}`,
      {
        hint: `Usage: ${command.usage}`,
      },
    );
  }
  check(args);
  const { socket, name: found } = await connect(name, staleNotice(io));
  try {
    return await act(socket, found, args, parsed.flags);
  } finally {
    socket.destroy();
  }
}
