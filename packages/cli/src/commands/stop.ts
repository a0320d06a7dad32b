import { type Command, HELP_FLAG } from '../command.ts';
import { send } from '../control/control-client.ts';
import { controlCommand } from './control-command.ts';

export const stopCommand: Command = {
  name: 'stop',
  usage: 'cluster stop [name]',
  synopsis: ['stop [name]', 'shut an instance down gracefully, as SIGTERM does'],
  about: [
    "Every worker drains (no new connections; requests in flight finish) within the drain deadline, then the instance exits. Returns once it has stopped, with the instance's own exit status: 0 when every worker drained in time, 1 when some had to be killed.",
  ],
  flags: [HELP_FLAG],
  examples: ['cluster stop', 'cluster stop api'],
  run(argv, io) {
    return controlCommand(stopCommand, argv, io, 1, async (socket, name) => {
      const result = (await send(socket, { cmd: 'stop' })) as { exitCode?: number };
      io.stdout.write(`${name}: stopped\n`);
      return result.exitCode ?? 0;
    });
  },
};
