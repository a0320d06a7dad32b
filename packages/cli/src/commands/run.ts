import { type Command, HELP_FLAG } from '../command.ts';
import { commandHelp } from '../help.ts';
import { Instance } from '../run/instance.ts';
import { RUN_FLAGS, resolveRunConfig } from '../run-config.ts';

export const runCommand: Command = {
  name: 'run',
  usage: 'cluster run <app> [options] [-- app args]',
  synopsis: ['run <app> [-- args]', 'run the app on every core, supervised, until Ctrl-C or SIGTERM'],
  about: [
    'Runs the app (.js, .cjs, .mjs; .ts, .mts, .cts through tsx) on every worker behind the ports it listens on, unmodified, with this process as its primary: crashed workers restart with backoff, SIGHUP reloads every worker one slot at a time without downtime, SIGTERM or Ctrl-C drains the workers and exits (a second one forces). Each line a worker prints comes out whole, prefixed with [slot pid].',
    'Options come from these flags, then from cluster.config.mjs, cluster.config.json or the "cluster" key of package.json in the current folder (the same names in camelCase: drainTimeout), then from the defaults. Durations are milliseconds or 500ms, 30s, 2m; sizes are bytes or 512M, 1.5G.',
  ],
  flags: [...RUN_FLAGS.map((option) => ({ ...option, key: option.key as string })), HELP_FLAG],
  examples: [
    'cluster run server.js',
    'cluster run server.ts -w 4 --status 9090',
    'cluster run dist/main.mjs --name api --drain-timeout 10s -- --port 3000',
    'PORT=0 cluster run app.cjs --watch',
  ],
  async run(argv, io) {
    const config = await resolveRunConfig(argv, io.cwd);
    if (config === 'help') {
      io.stdout.write(commandHelp(runCommand));
      return 0;
    }
    return new Instance(config, io).run();
  },
};
