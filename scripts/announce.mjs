// Preloaded (`--import`) by the demo into the primary and its workers, around the API page's first example
// (which stays the page's text): says where the demo answers once a worker really listens, and makes
// Ctrl-C end it quietly. Without a build it says so instead of failing on a missing module.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const from = pathToFileURL(`${process.cwd()}/`).href;
let cluster;
try {
  cluster = (await import(pathToFileURL(createRequire(from).resolve('@cluster/core')).href)).default;
} catch (error) {
  console.error(`@cluster/core is not built (${error.code ?? error.message}): run \`pnpm build\`, or \`pnpm demo\`.`);
  process.exit(1);
}

if (cluster.isPrimary) {
  cluster.once('listening', (_worker, { port }) => {
    console.log(
      `Clustered hello world on http://localhost:${port}/ (try: curl http://localhost:${port}/). Ctrl-C stops it.`,
    );
  });
  // Ctrl-C reaches every process of the terminal's group: the primary leaves, and its workers, cut off
  // from it, leave with it (as in Node), instead of each dying of the signal.
  process.once('SIGINT', () => process.exit(0));
} else {
  process.on('SIGINT', () => {});
}
