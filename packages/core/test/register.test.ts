import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const REGISTER = createRequire(import.meta.url).resolve('@cluster/core/register');
let app: string;

// The app and its fake dependencies, laid out as an installed app (node_modules is not committed).
beforeAll(async () => {
  app = await mkdtemp(path.join(tmpdir(), 'cluster-register-'));
  await cp(path.join(fixtures, 'register-app'), app, { recursive: true });
  await cp(path.join(fixtures, 'fake-deps'), path.join(app, 'node_modules'), { recursive: true });
});
afterAll(async () => {
  await rm(app, { recursive: true, force: true });
});
afterEach(() => killAll());

/** Runs the app to its end (the primary must exit by itself) and parses the JSON lines it printed. */
async function run(file: string, execArgv: string[]) {
  const script = runScript(path.join(app, file), { cwd: app, execArgv, timeout: 20_000 });
  const { code, signal } = await script.exited(20_000);
  expect({ code, signal, stderr: script.stderr.filter(Boolean) }).toEqual({ code: 0, signal: null, stderr: [] });
  return script.stdout.filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

const withoutOurs = (lines: Record<string, unknown>[]) => lines.map(({ ours, ...rest }) => rest);

describe('register', () => {
  it('with --require, gives ours to require("cluster") and require("node:cluster") in the app, its dependencies and its workers', async () => {
    const lines = await run('app.cjs', ['--require', REGISTER]);
    const facts = lines.filter((line) => 'role' in line);
    expect(facts.map((line) => line.role)).toEqual(['primary', 'worker']);
    for (const line of facts) {
      expect(line).toMatchObject({ ours: [true, true, true, true], same: true, esModule: false });
    }
    expect(lines).toContainEqual({ buffer: true, text: 'advanced' });
    expect(lines).toContainEqual({ keys: ['1'], sameObject: true, extensible: true, childProcess: true });
    expect(lines.at(-1)).toEqual({ exit: true, code: 0, signal: null, left: [] });
  });

  it('with --require, behaves as node:cluster does for the same app', async () => {
    const ours = await run('app.cjs', ['--require', REGISTER]);
    const node = await run('app.cjs', []);
    expect(node.filter((line) => 'ours' in line).every((line) => !(line.ours as boolean[]).some(Boolean))).toBe(true);
    expect(withoutOurs(ours)).toEqual(withoutOurs(node));
  });

  it('reaches workers whose execArgv leaves the preload out', async () => {
    expect(await run('exec-argv.cjs', ['--require', REGISTER])).toEqual([{ isWorker: true, ours: true, id: 1 }]);
  });

  it('with --import, gives ours to static and dynamic imports of both specifiers, in ESM and CJS dependencies and in workers', async () => {
    const lines = await run('app.mjs', ['--import', REGISTER]);
    const facts = lines.filter((line) => 'role' in line);
    expect(facts.map((line) => line.role)).toEqual(['primary', 'worker']);
    for (const line of facts) {
      expect(line).toMatchObject({ ours: [true, true, true, true, true, true, true], same: true, named: true });
    }
    expect(lines.at(-1)).toEqual({ exit: true, code: 0, signal: null });
    const node = await run('app.mjs', []);
    expect(withoutOurs(lines)).toEqual(withoutOurs(node));
  });
});
