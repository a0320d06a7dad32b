import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAll } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, cli, fixture, get, tempDir } from './helpers.ts';

afterEach(() => {
  killAll();
  cleanUp();
});

describe('--watch', () => {
  it('reloads once for a burst of changes under the app folder, not for node_modules or dot-folders', async () => {
    const dir = tempDir();
    const app = join(dir, 'app.cjs');
    copyFileSync(fixture('app.cjs'), app);
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    mkdirSync(join(dir, '.git'));
    const run = cli(['run', 'app.cjs', '-w', '1', '--watch'], { runtime: tempDir(), cwd: dir });
    const port = await run.ready();
    expect((await get(port)).body).not.toMatch(/changed/);
    writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), '1');
    writeFileSync(join(dir, '.git', 'HEAD'), '1');
    writeFileSync(app, readFileSync(app, 'utf8').replace("process.env.GREETING ?? ''", "'changed'"));
    // One reload, naming the app's file alone: the other two changes were not seen.
    await run.waitForError((line) => line.includes('app.cjs changed: rolling reload'));
    await run.waitForError((line) => line.includes('reloaded 1 worker in'));
    expect((await get(port)).body).toMatch(/ changed\n$/);
    expect(run.stderr.filter((line) => line.includes('changed: rolling reload'))).toHaveLength(1);
    run.child.kill('SIGTERM');
    expect((await run.exited()).code).toBe(0);
  });
});
