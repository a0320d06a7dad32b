import type { Command, DocumentedFlag } from './command.ts';

/** Help lines are wrapped to fit this width, whatever the terminal (so that the README can repeat them). */
export const HELP_WIDTH = 80;

/** Two columns: the left padded to the widest, the right wrapped under itself. */
export function columns(rows: readonly (readonly [string, string])[], indent = 2): string[] {
  const left = Math.max(...rows.map(([name]) => name.length));
  const room = HELP_WIDTH - indent - left - 2;
  return rows.flatMap(([name, text]) => {
    const lines = wrap(text, room);
    return lines.map((line, i) => `${' '.repeat(indent)}${(i === 0 ? name : '').padEnd(left)}  ${line}`.trimEnd());
  });
}

/** Wraps at spaces. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

export function flagColumn(flag: DocumentedFlag): string {
  const names = flag.short === undefined ? `    ${flag.flag}` : `${flag.short}, ${flag.flag}`;
  return flag.value === undefined ? names : `${names} ${flag.value}`;
}

/** `cluster <command> --help`. */
export function commandHelp(command: Command): string {
  const lines = [`Usage: ${command.usage}`, ''];
  for (const paragraph of command.about) lines.push(...wrap(paragraph, HELP_WIDTH), '');
  lines.push('Options:', ...columns(command.flags.map((flag) => [flagColumn(flag), flag.description])), '');
  if (command.examples.length > 0) lines.push('Examples:', ...command.examples.map((example) => `  ${example}`), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** `cluster --help`. */
export function mainHelp(commands: readonly Command[]): string {
  const lines = [
    'Usage: cluster <command> [options]',
    '',
    ...wrap(
      'Runs an unmodified Node server on every core, supervised: respawn with backoff, rolling reloads, graceful shutdown, logs, a control socket and health endpoints. No daemon: the instance is the `cluster run` process.',
      HELP_WIDTH,
    ),
    '',
    'Commands:',
    ...columns(commands.map((command) => command.synopsis)),
    '',
    'Options:',
    ...columns([
      ['-h, --help', "show this help; 'cluster <command> --help' shows a command's"],
      ['-v, --version', 'print the version'],
    ]),
    '',
    'Exit status:',
    ...columns([
      ['0', 'done: stopped with every worker drained, or the command did what it was asked'],
      ['1', 'failed: the app did not start, a worker was killed at the deadline, a reload or scale failed'],
      ['2', 'usage: an unknown command or option, a bad value or config file, an app that is not there'],
      ['3', 'no instance by that name is running'],
      ['128+n', 'ended by a second signal n (130 for SIGINT, 143 for SIGTERM)'],
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
