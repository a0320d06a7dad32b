// `pnpm cluster <command> …`: builds the CLI (and what it needs) from source, then runs `cluster` with the
// arguments given, from the repository's root (paths are relative to it). `pnpm demo` is `pnpm cluster run` on the example app.
// Nothing is printed before the build has worked; Ctrl-C ends it quietly with the CLI's own exit status
// (`exec` in the root script and no `pnpm --filter` layer in between: a shell or a recursive pnpm run
// between the terminal and node reports Ctrl-C as a failure).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let interrupted = false;
// Ctrl-C reaches the whole process group: the CLI drains its workers and exits; this waits for it.
process.on('SIGINT', () => {
  interrupted = true;
});
process.on('SIGTERM', () => {});

const turbo = `${root}node_modules/.bin/turbo`;
const build = spawnSync(turbo, ['run', 'build', '--filter=@cluster/cli...', '--output-logs=errors-only'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (build.error) throw build.error;
// Ctrl-C during the build: stop there, quietly.
if (interrupted || build.status !== 0) process.exit(interrupted ? 0 : (build.status ?? 1));

const cli = spawn(process.execPath, [`${root}packages/cli/dist/bin.js`, ...process.argv.slice(2)], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
cli.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 0 : 1)));
