import { type Command, HELP_FLAG } from '../command.ts';
import { send } from '../control/control-client.ts';
import type { InstanceSnapshot } from '../run/snapshot.ts';
import { formatStatus } from '../status-table.ts';
import { controlCommand } from './control-command.ts';

export const statusCommand: Command = {
  name: 'status',
  usage: 'cluster status [name] [--json]',
  synopsis: ['status [name]', "show an instance's workers: pid, state, uptime, restarts, CPU, memory, connections"],
  about: [
    'Prints a table of the running instance and its workers: slot, pid, state, uptime, restarts, CPU (percent of one CPU over the last second), memory (RSS) and open connections. Without a name, the only instance running.',
  ],
  flags: [{ key: 'json', flag: '--json', description: 'print the status as JSON, for scripts' }, HELP_FLAG],
  examples: ['cluster status', 'cluster status api --json'],
  run(argv, io) {
    return controlCommand(statusCommand, argv, io, 1, async (socket, _name, _args, flags) => {
      const snapshot = (await send(socket, { cmd: 'status' })) as InstanceSnapshot;
      io.stdout.write(flags.has('json') ? `${JSON.stringify(snapshot, null, 2)}\n` : formatStatus(snapshot));
      return 0;
    });
  },
};
