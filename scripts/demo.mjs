// `pnpm demo`: builds what the hello example needs, then runs it (the API page's first example). The
// URL is printed by the announce preload once a worker listens, so never before the build has worked;
// Ctrl-C ends it with exit code 0. (`exec` in the root script and no `pnpm --filter` layer in between:
// a shell or a recursive pnpm run between the terminal and node reports Ctrl-C as a failure.)
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let interrupted = false;
// Ctrl-C reaches the whole process group: let the example end itself, then leave quietly.
process.on('SIGINT', () => {
  interrupted = true;
});

const turbo = `${root}node_modules/.bin/turbo`;
const build = spawnSync(turbo, ['run', 'build', '--filter=@cluster/example-hello...', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.error) throw build.error;
if (build.status !== 0) process.exit(interrupted ? 0 : (build.status ?? 1));

const example = spawn(process.execPath, ['--import', '../../scripts/announce.mjs', 'server.mjs'], {
  cwd: `${root}examples/hello`,
  stdio: 'inherit',
});
example.on('exit', (code, signal) => process.exit(interrupted || signal === 'SIGINT' ? 0 : (code ?? 1)));
