import { parseArgs } from '../argv.ts';
import { type Command, HELP_FLAG } from '../command.ts';
import { liveInstances, send } from '../control/control-client.ts';
import { runtimeDir } from '../control/runtime-dir.ts';
import { cliError } from '../errors.ts';
import { commandHelp } from '../help.ts';
import type { InstanceSnapshot } from '../run/snapshot.ts';
import { formatList } from '../status-table.ts';
import { staleNotice } from './control-command.ts';

export const lsCommand: Command = {
  name: 'ls',
  usage: 'cluster ls [--json]',
  synopsis: ['ls', 'list the running instances of this user'],
  about: [
    'Lists the instances of this user that are running: name, primary pid, ready workers, uptime, address and app. It finds them by their control sockets in $XDG_RUNTIME_DIR/cluster (else <temp dir>/cluster-<uid>); a socket left by an instance that died is removed, and said so.',
  ],
  flags: [{ key: 'json', flag: '--json', description: 'print the list as JSON, for scripts' }, HELP_FLAG],
  examples: ['cluster ls'],
  async run(argv, io) {
    const parsed = parseArgs(argv, lsCommand.flags, 'ls');
    if (parsed.help) {
      io.stdout.write(commandHelp(lsCommand));
      return 0;
    }
    if (parsed.positionals.length > 0 || parsed.rest !== undefined) {
      throw cliError('ERR_CLUSTER_UNEXPECTED_ARGUMENT', `unexpected argument "${parsed.positionals[0] ?? '--'}"`, {
        hint: `Usage: ${lsCommand.usage}`,
      });
    }
    const live = await liveInstances(staleNotice(io));
    const snapshots = (
      await Promise.all(
        live.map(({ socket }) =>
          send(socket, { cmd: 'status' }).then(
            (snapshot) => snapshot as InstanceSnapshot,
            () => undefined,
          ),
        ),
      )
    ).filter((snapshot) => snapshot !== undefined);
    for (const { socket } of live) socket.destroy();
    if (parsed.flags.has('json')) io.stdout.write(`${JSON.stringify(snapshots, null, 2)}\n`);
    else if (snapshots.length === 0) io.stdout.write(`No instance is running (sockets in ${runtimeDir(io.env)}).\n`);
    else io.stdout.write(formatList(snapshots));
    return 0;
  },
};
