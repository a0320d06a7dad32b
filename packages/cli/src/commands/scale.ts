import { type Command, HELP_FLAG } from '../command.ts';
import { send } from '../control/control-client.ts';
import type { ScaleTarget } from '../control/protocol.ts';
import { cliError } from '../errors.ts';
import { controlCommand } from './control-command.ts';

export const scaleCommand: Command = {
  name: 'scale',
  usage: 'cluster scale [name] <n>',
  synopsis: ['scale [name] <n>', 'change the number of workers: a count, max, +n or -n'],
  about: [
    'Up: new slots start, and it returns once their workers are ready. Down: the highest slots drain, and it returns once their workers have exited. <n> is a count, max (one per CPU this process may use), or a change such as +2 or -1.',
  ],
  flags: [HELP_FLAG],
  examples: ['cluster scale 4', 'cluster scale api +1', 'cluster scale max'],
  run(argv, io) {
    return controlCommand(
      scaleCommand,
      argv,
      io,
      2,
      async (socket, name, [target]) => {
        const workers = parseTarget(target as string);
        const result = (await send(socket, { cmd: 'scale', workers })) as { from: number; to: number };
        io.stdout.write(`${name}: ${result.from} → ${result.to} workers\n`);
        return 0;
      },
      ([target]) => parseTarget(target as string),
    );
  },
};

function parseTarget(text: string): ScaleTarget {
  if (text === 'max') return 'max';
  if (/^[+-]\d{1,4}$/.test(text)) return text as ScaleTarget;
  if (/^\d{1,4}$/.test(text) && Number(text) <= 1024) return Number(text);
  throw cliError(
    'ERR_CLUSTER_INVALID_OPTION_VALUE',
    `<n> expected a count from 0 to 1024, max, or a change such as +1, got "${text}"`,
  );
}
