// Runs Node's own cluster tests (run.sh) on @cluster/core and fails when any of them fails, but for the few
// in excluded.txt that drive the builtin's private implementation. `pnpm test` runs it after the build.
//   node node-suite/check.mjs            # env: JOBS (default 2), TIMEOUT, FILTER, NODE_SRC, LOGDIR as run.sh
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// The CommonJS entry: the harness aliases require('cluster') to it in every process of a test.
const impl = createRequire(import.meta.url).resolve('@cluster/core');
const excluded = new Set(
  readFileSync(path.join(here, 'excluded.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean),
);
// Results and logs in a temp folder, kept when something failed (or LOGDIR names a folder of one's own).
const work = mkdtempSync(path.join(tmpdir(), 'cluster-conformance-'));
const results = path.join(work, 'results.tsv');
const env = {
  ...process.env,
  JOBS: process.env.JOBS ?? '2',
  RESULTS: results,
  LOGDIR: process.env.LOGDIR ?? path.join(work, 'logs'),
};

const started = Date.now();
const run = spawn(path.join(here, 'run.sh'), [impl], { env, stdio: ['ignore', 'inherit', 'inherit'] });
const [code] = await new Promise((resolve) => run.on('exit', (...args) => resolve(args)));
let rows;
try {
  rows = readFileSync(results, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'));
} catch {
  console.error(`conformance: run.sh ended with ${code} and wrote no results (is Node's test tree there?)`);
  process.exit(1);
}

const failed = rows.filter(([name, status]) => (status === 'FAIL' || status === 'TIMEOUT') && !excluded.has(name));
const fair = rows.filter(([name]) => !excluded.has(name));
const count = (status) => fair.filter((row) => row[1] === status).length;
const seconds = Math.round((Date.now() - started) / 1000);
console.log(
  `conformance: ${count('PASS')} of ${fair.length} fair tests passed, ${count('SKIP')} skipped, ${failed.length} failed` +
    ` (${excluded.size} excluded, ${seconds} s)`,
);
if (failed.length > 0) {
  console.error(`conformance: Node's own cluster tests failed on @cluster/core (logs: ${env.LOGDIR}):`);
  for (const [name, status] of failed) console.error(`  ${status} ${name}`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
