import { type Command, HELP_FLAG } from '../command.ts';
import { send } from '../control/control-client.ts';
import { controlCommand } from './control-command.ts';

export const reloadCommand: Command = {
  name: 'reload',
  usage: 'cluster reload [name]',
  synopsis: ['reload [name]', 'replace every worker with a new one, one slot at a time, without downtime'],
  about: [
    'A rolling reload, as SIGHUP makes one: slot by slot, a new worker starts with the code now on disk, and the old one drains once the new one is ready. It stops at the first new worker that fails, and the slots not yet replaced keep their old workers (exit status 1). Prints each slot as it is replaced.',
  ],
  flags: [HELP_FLAG],
  examples: ['cluster reload', 'cluster reload api'],
  run(argv, io) {
    return controlCommand(reloadCommand, argv, io, 1, async (socket, name) => {
      const result = (await send(socket, { cmd: 'reload' }, (event) => {
        const { slot, pid, done, total } = event as { slot: number; pid: number; done: number; total: number };
        io.stdout.write(`${name}: ${done}/${total} slot ${slot} is now worker ${pid}\n`);
      })) as { replaced: number };
      io.stdout.write(`${name}: reloaded ${result.replaced} worker${result.replaced === 1 ? '' : 's'}\n`);
      return 0;
    });
  },
};
