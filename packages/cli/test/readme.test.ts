import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, cliResult, tempDir } from './helpers.ts';

afterEach(() => cleanUp());

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The help blocks of the README, by topic: `<!-- help: run -->` … `<!-- /help -->`. */
const blocks = new Map(
  [...readme.matchAll(/<!-- help: (\w+) -->\n```text\n([\s\S]*?)```\n<!-- \/help -->/g)].map((match) => [
    match[1] as string,
    match[2] as string,
  ]),
);

describe('the README', () => {
  it('repeats cluster --help and every cluster <command> --help word for word', async () => {
    expect([...blocks.keys()].sort()).toEqual(['ls', 'main', 'reload', 'run', 'scale', 'status', 'stop']);
    const runtime = tempDir();
    for (const [topic, text] of blocks) {
      const { stdout } = await cliResult(topic === 'main' ? ['--help'] : [topic, '--help'], { runtime });
      expect(`${stdout}\n`, `README block for ${topic}: paste the output of cluster ${topic} --help`).toBe(text);
    }
  });
});
