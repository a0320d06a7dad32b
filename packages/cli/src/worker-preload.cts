// Loaded by `cluster run` into every worker with `--require`, before the app's own code.
import nodeModule = require('node:module');

// Ctrl-C in a terminal sends SIGINT to every process of its foreground group, the workers as well as the
// primary. The primary answers it with a graceful shutdown, draining every worker; a worker that died of
// the signal at once would drop the requests it was serving. An app's own SIGINT listener still runs.
process.on('SIGINT', () => {});

// Out of process.execArgv, so that the app's own children, which inherit it, are not preloaded.
const flag = `--require=${__filename}`;
const at = process.execArgv.indexOf(flag);
if (at !== -1) process.execArgv.splice(at, 1);

// A CommonJS TypeScript entry has tsx's --require hook, which is all the CommonJS loader needs, and the
// worker bootstraps (node:cluster's, and ours, a --require too) add no --import. The user's own --import
// (a node argument) still puts the main on the ESM loader, which then needs tsx's ESM hooks to load a .cts
// at all: registered here, since no --import can be added now (test/worker-loader.test.ts, on both).
const tsxEsm = process.env.CLUSTER_CLI_TSX_ESM;
delete process.env.CLUSTER_CLI_TSX_ESM;
if (tsxEsm !== undefined && process.execArgv.some((arg) => /^--(import|loader|experimental-loader)\b/.test(arg))) {
  nodeModule.register(tsxEsm, { data: { active: true } });
}
